"""M/M/c queue of N customers in SimPy 3, the reference for the runner-pool M/M/c benchmark.

Usage: /usr/bin/python3 bench/mmc_simpy.py CUSTOMERS SERVERS ARRIVAL_RATE SERVICE_RATE SEED
Prints one JSON line: wall seconds of the simulation, customers served, mean wait.
Debian's python3-simpy3 imports only under the system Python, /usr/bin/python3.
"""
import json
import random
import sys
import time

import simpy


def main():
    customers, servers = int(sys.argv[1]), int(sys.argv[2])
    arrival_rate, service_rate, seed = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=servers)
    waits = [0.0, 0]

    def customer():
        arrived = env.now
        with pool.request() as request:
            yield request
            waits[0] += env.now - arrived
            waits[1] += 1
            yield env.timeout(rng.expovariate(service_rate))

    def source():
        for _ in range(customers):
            yield env.timeout(rng.expovariate(arrival_rate))
            env.process(customer())

    env.process(source())
    started = time.perf_counter()
    env.run()
    wall = time.perf_counter() - started
    print(json.dumps({"wallSeconds": wall, "served": waits[1], "meanWait": waits[0] / waits[1]}))


main()
