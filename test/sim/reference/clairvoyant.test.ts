import { describe, expect, it } from "vitest"
import { makeStream } from "../../../sim/random.js"
import { clairvoyantSchedule } from "../../../sim/reference/clairvoyant.js"
import { floorRunnerHours } from "../../../sim/reference/floor.js"
import { provisioningSampler } from "../../../sim/world/provisioning.js"
import { workloadFromRuns } from "../../../sim/workload/workload.js"
import { cloudWith, constant } from "../support.js"

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/**
 * Constant delays: a new runner takes 60 s + 20 s to become Idle and 30 s to
 * delete, so an idle gap above 110 s costs more than replacing the runner.
 */
const cloud = cloudWith({
  provisioningDelay: constant(60 * SECOND),
  startupScriptDuration: constant(20 * SECOND),
  deletionDelay: constant(30 * SECOND)
})

/** Cost of one runner serving one run: 80 s to become Idle, the run, 30 s to delete. */
const SINGLE_RUN_MS = 80 * SECOND + 5 * MINUTE + 30 * SECOND

const schedule = (runs: ReadonlyArray<{ arrival: number; duration: number }>, horizonMs = HOUR, seed = 1) =>
  clairvoyantSchedule(workloadFromRuns(runs), cloud, seed, horizonMs)

describe("clairvoyantSchedule", () => {
  it("serves one run with one runner", () => {
    const result = schedule([{ arrival: 10 * MINUTE, duration: 5 * MINUTE }])
    expect(result.runnerHours).toBe(SINGLE_RUN_MS / HOUR)
    expect(result.runnersCreated).toBe(1)
    expect(result.peakRunners).toBe(1)
  })

  it("reuses one runner back to back", () => {
    // The second run arrives 60 s after the first ends: idling 60 s beats replacing for 110 s.
    const result = schedule([
      { arrival: 10 * MINUTE, duration: 5 * MINUTE },
      { arrival: 16 * MINUTE, duration: 5 * MINUTE }
    ])
    expect(result.runnerHours).toBe((80 * SECOND + 5 * MINUTE + MINUTE + 5 * MINUTE + 30 * SECOND) / HOUR)
    expect(result.runnersCreated).toBe(1)
    expect(result.peakRunners).toBe(1)
  })

  it("reuses at exactly the limit", () => {
    const result = schedule([
      { arrival: 10 * MINUTE, duration: 5 * MINUTE },
      { arrival: 15 * MINUTE + 110 * SECOND, duration: 5 * MINUTE }
    ])
    expect(result.runnersCreated).toBe(1)
    expect(result.runnerHours).toBe((80 * SECOND + 10 * MINUTE + 110 * SECOND + 30 * SECOND) / HOUR)
  })

  it("replaces a runner idle too long", () => {
    // A gap of 200 s exceeds 110 s, so the first runner is deleted when its run ends.
    const result = schedule([
      { arrival: 10 * MINUTE, duration: 5 * MINUTE },
      { arrival: 15 * MINUTE + 200 * SECOND, duration: 5 * MINUTE }
    ])
    expect(result.runnerHours).toBe((2 * SINGLE_RUN_MS) / HOUR)
    expect(result.runnersCreated).toBe(2)
    expect(result.peakRunners).toBe(1)
  })

  it("needs two runners for overlapping runs", () => {
    const result = schedule([
      { arrival: 10 * MINUTE, duration: 5 * MINUTE },
      { arrival: 12 * MINUTE, duration: 5 * MINUTE }
    ])
    expect(result.runnerHours).toBe((2 * SINGLE_RUN_MS) / HOUR)
    expect(result.runnersCreated).toBe(2)
    expect(result.peakRunners).toBe(2)
  })

  it("reuses the runner free shortest", () => {
    // Runners free up at 15:00 and 15:30, and the run at 16:00 takes the second after 30 s idle.
    // The first is deleted at 15:00, so the total is 60 s below reusing the first.
    const result = schedule([
      { arrival: 10 * MINUTE, duration: 5 * MINUTE },
      { arrival: 10 * MINUTE + 30 * SECOND, duration: 5 * MINUTE },
      { arrival: 16 * MINUTE, duration: 5 * MINUTE }
    ])
    expect(result.runnersCreated).toBe(2)
    expect(result.peakRunners).toBe(2)
    // First runner: 80 s, 5 min run, 30 s deletion. Second: 80 s, 5 min, 30 s idle, 5 min, 30 s.
    expect(result.runnerHours).toBe((SINGLE_RUN_MS + 80 * SECOND + 10 * MINUTE + 60 * SECOND) / HOUR)
  })

  it("clips runner time to the horizon", () => {
    // Created at -80 s for a run at 0, so it counts from 0. The second run's runner outlives the horizon.
    const result = schedule([
      { arrival: 0, duration: 5 * MINUTE },
      { arrival: 50 * MINUTE, duration: 20 * MINUTE }
    ])
    expect(result.runnerHours).toBe((5 * MINUTE + 30 * SECOND + 80 * SECOND + 10 * MINUTE) / HOUR)
    expect(result.runnersCreated).toBe(2)
  })

  it("ignores runs at or after the horizon", () => {
    const result = schedule([{ arrival: HOUR, duration: 5 * MINUTE }])
    expect(result).toEqual({ runnerHours: 0, peakRunners: 0, runnersCreated: 0 })
  })

  it("skips a draw that fails to boot", () => {
    const failing = cloudWith({
      provisioningDelay: { kind: "uniform", min: 30 * SECOND, max: 90 * SECOND },
      startupScriptDuration: constant(20 * SECOND),
      deletionDelay: constant(30 * SECOND),
      bootFailureRate: 0.5
    })
    // The first seed whose first provisioning draw fails to boot and whose second boots.
    const drawsOf = (seed: number) => {
      const stream = makeStream(seed, "provisioning")
      const draw = provisioningSampler(failing)
      return [draw(stream), draw(stream)] as const
    }
    const seed = Array.from({ length: 100 }, (_, index) => index + 1).find((candidate) => {
      const [first, second] = drawsOf(candidate)
      return first.bootFails && !second.bootFails
    })!
    const [skipped, used] = drawsOf(seed)
    expect(skipped.provisioningDelayMs).not.toBe(used.provisioningDelayMs)

    const result = clairvoyantSchedule(
      workloadFromRuns([{ arrival: 10 * MINUTE, duration: 5 * MINUTE }]),
      failing,
      seed,
      HOUR
    )
    expect(result.runnersCreated).toBe(1)
    expect(result.runnerHours * HOUR).toBeCloseTo(used.provisioningDelayMs + 20 * SECOND + 5 * MINUTE + 30 * SECOND, 6)
  })

  it("rejects a cloud where nothing boots", () => {
    const broken = cloudWith({ bootFailureRate: 1 })
    const runs = workloadFromRuns([{ arrival: MINUTE, duration: MINUTE }])
    expect(() => clairvoyantSchedule(runs, broken, 1, HOUR)).toThrow(/Invalid bootFailureRate 1/)
    expect(clairvoyantSchedule(workloadFromRuns([]), broken, 1, HOUR).runnerHours).toBe(0)
  })

  it("is deterministic per seed", () => {
    const random = cloudWith({
      provisioningDelay: { kind: "exponential", mean: 90 * SECOND },
      startupScriptDuration: { kind: "lognormal", median: 10 * SECOND, p95: 40 * SECOND },
      deletionDelay: { kind: "exponential", mean: 30 * SECOND },
      bootFailureRate: 0.1
    })
    const runs = workloadFromRuns(
      Array.from({ length: 200 }, (_, index) => ({ arrival: index * 37 * SECOND, duration: ((index * 7919) % 600) * SECOND }))
    )
    const first = clairvoyantSchedule(runs, random, 5, 3 * HOUR)
    expect(clairvoyantSchedule(runs, random, 5, 3 * HOUR)).toEqual(first)
    expect(clairvoyantSchedule(runs, random, 6, 3 * HOUR).runnerHours).not.toBe(first.runnerHours)
    expect(first.runnerHours).toBeGreaterThanOrEqual(floorRunnerHours(runs, 3 * HOUR))
  })
})
