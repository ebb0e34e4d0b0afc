import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/simulate.js"
import { cloudWith, constant, poissonWorkload, ruleSettings } from "./support.js"

const MINUTE = 60_000

/**
 * Erlang's C formula: the probability that an arrival waits in an M/M/c
 * queue with `servers` servers and offered load `load` = λ/μ (which must be
 * below `servers`).
 */
const erlangC = (servers: number, load: number): number => {
  let term = 1
  let below = 0
  for (let k = 0; k < servers; k++) {
    if (k > 0) term *= load / k
    below += term
  }
  const atServers = ((term * load) / servers) * (servers / (servers - load))
  return atServers / (below + atServers)
}

/** Mean wait in the queue of an M/M/c queue: C(c, λ/μ) / (cμ − λ), in the unit of `meanService`. */
const erlangCMeanWait = (servers: number, utilization: number, meanService: number): number => {
  const load = servers * utilization
  return (erlangC(servers, load) * meanService) / (servers - load)
}

interface Replication {
  /** Mean wait of the runs after the warm-up, in minutes. */
  readonly meanWait: number
  /** Share of those runs that waited at all. */
  readonly waitedShare: number
}

/**
 * Runs one replication: a fixed pool of `servers` runners that are ready at once
 * (no provisioning delay, no startup, agents poll continuously) serves
 * Poisson arrivals with exponential run times. The first tenth of the runs
 * is a warm-up from an empty queue and is left out.
 */
const replicate = (seed: number, servers: number, utilization: number, runs: number, meanService: number): Replication => {
  const workload = poissonWorkload(seed, runs, meanService / (servers * utilization), { kind: "exponential", mean: meanService })
  const warmUp = Math.floor(runs / 10)
  let waitSum = 0
  let waited = 0
  let counted = 0
  const result = simulate({
    settings: ruleSettings({
      minPoolSize: servers,
      maxPoolSize: servers,
      runTimeout: "off",
      // Nothing changes after the pool reaches its size at time 0, so passes can be rare.
      reconcileInterval: "1h"
    }),
    workload,
    // Long enough after the last arrival for every run to be acquired.
    horizonMs: workload.arrivals[runs - 1]! + 48 * 60 * MINUTE,
    seed,
    cloud: cloudWith({ provisioningDelay: constant(0), startupScriptDuration: constant(0), deletionDelay: constant(0) }),
    runners: { pollIntervalMs: 0, heartbeatIntervalMs: 30_000 },
    onEvent: (event) => {
      if (event.kind !== "RunAcquired" || event.runId < warmUp) return
      counted++
      waitSum += event.waitMs
      if (event.waitMs > 0) waited++
    }
  })
  expect(result.queuedAtEnd + result.runningAtEnd).toBe(0)
  expect(counted).toBe(runs - warmUp)
  return { meanWait: waitSum / counted / MINUTE, waitedShare: waited / counted }
}

/** Computes the mean of independent replication results and its standard error. */
const meanAndStandardError = (values: ReadonlyArray<number>) => {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)
  return { mean, standardError: Math.sqrt(variance / values.length) }
}

describe("fixed pool against M/M/c", () => {
  /**
   * Each case runs 30 independent replications (seeds 0 to 29). The mean of
   * their mean waits must lie within 4 standard errors of the Erlang-C value.
   * A correct simulator draws a seed set that misses this band with
   * probability 0.0004 (Student's t, 29 degrees of freedom). The seeds are
   * fixed, so the outcome is the same on every run. The standard error must
   * stay below 5 % of the formula, so the band is narrow enough to catch a
   * biased wait. The same holds for the share of runs that wait at all,
   * which is Erlang C itself.
   */
  it.each([
    { servers: 1, utilization: 0.5, runs: 10_000 },
    { servers: 4, utilization: 0.75, runs: 20_000 },
    { servers: 10, utilization: 0.8, runs: 20_000 }
  ])("$servers runners at utilization $utilization match Erlang C", ({ servers, utilization, runs }) => {
    const meanService = 10 * MINUTE
    const replications = Array.from({ length: 30 }, (_, seed) => replicate(seed, servers, utilization, runs, meanService))

    const expectedWait = erlangCMeanWait(servers, utilization, meanService) / MINUTE
    const wait = meanAndStandardError(replications.map((replication) => replication.meanWait))
    expect(wait.standardError).toBeLessThan(0.05 * expectedWait)
    expect(Math.abs(wait.mean - expectedWait)).toBeLessThan(4 * wait.standardError)

    const expectedShare = erlangC(servers, servers * utilization)
    const share = meanAndStandardError(replications.map((replication) => replication.waitedShare))
    expect(share.standardError).toBeLessThan(0.05 * expectedShare)
    expect(Math.abs(share.mean - expectedShare)).toBeLessThan(4 * share.standardError)
  })

  it("Erlang C matches known values", () => {
    // M/M/1: the probability of waiting is the utilization, and Wq = ρ / (μ − λ).
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12)
    expect(erlangCMeanWait(1, 0.5, 10)).toBeCloseTo(10, 12)
    // M/M/2 at load 1: C = (1/2 · 2) / (1 + 1 + 1) = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12)
    expect(erlangC(4, 3)).toBeCloseTo(0.509434, 6)
  })
})
