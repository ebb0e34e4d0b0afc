import { execFileSync } from "node:child_process"
import { dirname, resolve } from "node:path"
import { Effect, Fiber } from "effect"
import { runScenario } from "../cli/runScenario.js"
import { EventHeap } from "../sim/kernel/heap.js"
import { Kernel } from "../sim/kernel/kernel.js"
import { defaultPoolSettings } from "../core/settings.js"
import { makeStream } from "../sim/random.js"
import { simulate } from "../sim/simulate.js"
import { defaultCloudModel } from "../sim/world/models.js"
import { loadScenario } from "../sim/scenario/load.js"
import { generateWorkload } from "../sim/workload/generate.js"
import { runFloorModel } from "./floorModel.js"

/** One measurement: wall time of the measured part, and what it did. */
export interface Measurement {
  readonly wallSeconds: number
  /** Units of work done (wake-ups, events), for a rate. */
  readonly work: number
  readonly detail: Record<string, number>
}

const DAY_MS = 86_400_000

/** 100 fibers sleeping 10 s each in virtual time for one simulated day: Effect wake-ups through the kernel. */
const kernelWakeUps = (): Measurement => {
  const kernel = new Kernel()
  let wakeUps = 0
  const sleeper = Effect.gen(function* () {
    while (true) {
      yield* Effect.sleep(10_000)
      wakeUps++
    }
  })
  const program = Effect.forEach(Array.from({ length: 100 }), () => Effect.fork(sleeper), { discard: true }).pipe(
    Effect.zipRight(Effect.never),
    Effect.withClock(kernel.clock)
  )
  let fiber: Fiber.RuntimeFiber<never, never> | undefined
  kernel.step(() => {
    fiber = Effect.runFork(program, { scheduler: kernel.scheduler })
  })
  const started = performance.now()
  kernel.runUntil(DAY_MS)
  const wallSeconds = (performance.now() - started) / 1000
  kernel.step(() => {
    Effect.runFork(Fiber.interrupt(fiber!), { scheduler: kernel.scheduler })
  })
  return { wallSeconds, work: wakeUps, detail: { wakeUps } }
}

/** The same 100 sleepers as plain heap entries with no Effect: the floor for a wake-up. */
const heapWakeUps = (): Measurement => {
  const heap = new EventHeap()
  let wakeUps = 0
  const wake = (time: number): void => {
    wakeUps++
    heap.push(time + 10_000, () => wake(time + 10_000))
  }
  for (let i = 0; i < 100; i++) heap.push(10_000, () => wake(10_000))
  const started = performance.now()
  while (heap.size > 0 && heap.peek()!.time < DAY_MS) heap.pop()!.action()
  return { wallSeconds: (performance.now() - started) / 1000, work: wakeUps, detail: { wakeUps } }
}

const scenarioPath = (name: string): string =>
  name.startsWith("bench/") ? resolve(`${name}.yaml`) : resolve("scenarios", `${name}.yaml`)

/** A bundled scenario through the whole pipeline: workload, controller, simulator, metrics and summary. */
const fullScenario = (name: string) => (): Measurement => {
  const scenario = loadScenario(scenarioPath(name))
  const started = performance.now()
  const run = runScenario(scenario, { scenarioFile: scenarioPath(name) })
  const wallSeconds = (performance.now() - started) / 1000
  return {
    wallSeconds,
    work: run.summary.engine.events,
    detail: { runs: run.summary.runs.arrived, events: run.summary.engine.events, peakRunners: run.summary.runners.peak }
  }
}

/** The floor model on the same scenario's workload, with a fixed pool of the scenario's maximum size. */
const floorOfScenario = (name: string) => (): Measurement => {
  const scenario = loadScenario(scenarioPath(name))
  const started = performance.now()
  const workload = generateWorkload(scenario.workload, {
    horizonMs: scenario.horizon,
    random: makeStream(scenario.seed, "workload"),
    baseDir: dirname(scenarioPath(name))
  })
  const result = runFloorModel(workload, scenario.pool.maxPoolSize, scenario.horizon, scenario.pool.runTimeout)
  const wallSeconds = (performance.now() - started) / 1000
  return { wallSeconds, work: result.events, detail: { runs: workload.arrivals.length, events: result.events } }
}

/**
 * Generates a scenario's workload `times` times in one process, as a
 * sweep's worker thread does once per run, and times all of it. Compared
 * with one generation, it shows whether repeated parses stay as fast as
 * the first: V8 once re-optimized the CSV reader into code 1000 times
 * slower from about the seventh parse on.
 */
const repeatedWorkload = (name: string, times: number) => (): Measurement => {
  const scenario = loadScenario(scenarioPath(name))
  const started = performance.now()
  let runs = 0
  for (let i = 0; i < times; i++) {
    const workload = generateWorkload(scenario.workload, {
      horizonMs: scenario.horizon,
      random: makeStream(scenario.seed, "workload"),
      baseDir: dirname(scenarioPath(name))
    })
    runs += workload.arrivals.length
  }
  const wallSeconds = (performance.now() - started) / 1000
  return { wallSeconds, work: runs, detail: { runs, generations: times } }
}

/** M/M/c parameters shared with bench/mmc_simpy.py: 10 runners, 8 arrivals and 1 service completion per second. */
export const MMC = { runs: 1_000_000, runners: 10, arrivalsPerSecond: 8, servicesPerSecond: 1, seed: 1 } as const

/** Poisson arrivals and exponential run times of the M/M/c benchmark, in milliseconds. */
const mmcWorkload = () => {
  const random = makeStream(MMC.seed, "workload")
  const arrivals = new Float64Array(MMC.runs)
  const durations = new Float64Array(MMC.runs)
  let time = 0
  for (let i = 0; i < MMC.runs; i++) {
    time += (-Math.log(1 - random.next()) * 1000) / MMC.arrivalsPerSecond
    arrivals[i] = time
    durations[i] = (-Math.log(1 - random.next()) * 1000) / MMC.servicesPerSecond
  }
  return { arrivals, durations, skipped: {} }
}

/**
 * A fixed pool of c runners (minimum = maximum = c, instant provisioning,
 * poll interval 0) through the whole simulator: the controller reconciles
 * every 10 s while the world serves the runs. Counted from workload
 * generation to the end of the run, like the SimPy model.
 */
const mmcSimulated = (): Measurement => {
  const started = performance.now()
  const workload = mmcWorkload()
  let waitTotal = 0
  let acquired = 0
  const result = simulate({
    settings: defaultPoolSettings({
      minPoolSize: MMC.runners,
      maxPoolSize: MMC.runners,
      idleTimeout: "off",
      maxRunnerAge: "off",
      runTimeout: "off"
    }),
    workload,
    horizonMs: workload.arrivals[MMC.runs - 1]! + 3_600_000,
    seed: MMC.seed,
    cloud: { ...defaultCloudModel, provisioningDelay: { kind: "constant", value: 0 } },
    runners: { pollIntervalMs: 0, heartbeatIntervalMs: 30_000 },
    onEvent: (event) => {
      if (event.kind === "RunAcquired") {
        waitTotal += event.waitMs
        acquired++
      }
    }
  })
  const wallSeconds = (performance.now() - started) / 1000
  return { wallSeconds, work: acquired, detail: { runs: acquired, events: result.eventCount, meanWaitSeconds: waitTotal / acquired / 1000 } }
}

/** The same M/M/c in SimPy 3 under the system Python (Debian's python3-simpy3). */
const mmcSimPy = (): Measurement => {
  const output = execFileSync("/usr/bin/python3", [
    resolve("bench", "mmc_simpy.py"),
    String(MMC.runs),
    String(MMC.runners),
    String(MMC.arrivalsPerSecond),
    String(MMC.servicesPerSecond),
    String(MMC.seed)
  ], { encoding: "utf8" })
  const result = JSON.parse(output) as { wallSeconds: number; served: number; meanWait: number }
  return { wallSeconds: result.wallSeconds, work: result.served, detail: { runs: result.served, meanWaitSeconds: result.meanWait } }
}

/** Every benchmark case by name. */
export const CASES: Record<string, () => Measurement> = {
  "kernel-wakeups": kernelWakeUps,
  "heap-wakeups": heapWakeUps,
  "borg-week": fullScenario("borg-week"),
  "borg-week-floor": floorOfScenario("borg-week"),
  "borg-week-workload": repeatedWorkload("borg-week", 1),
  "borg-week-workload-x12": repeatedWorkload("borg-week", 12),
  "borg-29d": fullScenario("bench/scenarios/borg-29d"),
  "borg-29d-floor": floorOfScenario("bench/scenarios/borg-29d"),
  "mmc-simulated": mmcSimulated,
  "mmc-simpy": mmcSimPy
}
