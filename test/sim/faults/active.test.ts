import { describe, expect, it } from "vitest"
import { ActiveFaults } from "../../../sim/faults/active.js"
import type { RandomStream } from "../../../sim/random.js"
import { faultsOf } from "./support.js"

/** A stream that returns the given values in turn and counts its draws. */
const scripted = (...values: ReadonlyArray<number>): RandomStream & { draws: number } => {
  const stream = {
    draws: 0,
    next: () => {
      const value = values[stream.draws % values.length]!
      stream.draws++
      return value
    }
  }
  return stream
}

const MINUTE = 60_000

describe("active faults", () => {
  it("make no draw outside windows", () => {
    const random = scripted(0)
    const faults = new ActiveFaults(
      faultsOf(
        { kind: "cloudErrors", at: "1m", for: "1m", rate: 1, error: "server" },
        { kind: "slowProvisioning", at: "1m", for: "1m", delay: { kind: "uniform", min: "1m", max: "2m" } },
        { kind: "bootFailures", at: "1m", for: "1m", rate: 1 },
        { kind: "hangingRuns", at: "1m", for: "1m", rate: 1 }
      ),
      random
    )

    for (const now of [0, MINUTE - 1, 2 * MINUTE, 10 * MINUTE]) {
      expect(faults.cloudCallFails("list", now), `at ${now}`).toBeUndefined()
      expect(faults.provisioningDelay(now), `at ${now}`).toBeUndefined()
      expect(faults.bootFails(now), `at ${now}`).toBe(false)
      expect(faults.runHangs(now), `at ${now}`).toBe(false)
      expect(faults.listLagMs(now), `at ${now}`).toBe(0)
    }
    expect(random.draws).toBe(0)
  })

  it("window includes at, excludes until", () => {
    const faults = new ActiveFaults(faultsOf({ kind: "bootFailures", at: "1m", for: "1m", rate: 1 }), scripted(0.5))

    expect(faults.bootFailureRate(MINUTE - 1)).toBe(0)
    expect(faults.bootFailureRate(MINUTE)).toBe(1)
    expect(faults.bootFailureRate(2 * MINUTE - 1)).toBe(1)
    expect(faults.bootFailureRate(2 * MINUTE)).toBe(0)
  })

  it("cloud call fails below rate", () => {
    const random = scripted(0.29, 0.3, 0.99)
    const faults = new ActiveFaults(faultsOf({ kind: "cloudErrors", at: 0, for: "1m", rate: 0.3, error: "timeout" }), random)

    expect(faults.cloudCallFails("provision", 0)).toBe("timeout")
    expect(faults.cloudCallFails("terminate", 0)).toBeUndefined()
    expect(faults.cloudCallFails("list", 0)).toBeUndefined()
    expect(random.draws).toBe(3)
  })

  it("cloud errors hit listed operations only", () => {
    const random = scripted(0)
    const faults = new ActiveFaults(
      faultsOf({ kind: "cloudErrors", at: 0, for: "1m", rate: 1, error: "throttled", operations: ["list"] }),
      random
    )

    expect(faults.cloudCallFails("provision", 0)).toBeUndefined()
    expect(faults.cloudCallFails("terminate", 0)).toBeUndefined()
    expect(random.draws).toBe(0)
    expect(faults.cloudCallFails("list", 0)).toBe("throttled")
  })

  it("first failing cloud window wins", () => {
    const random = scripted(0.6, 0.1)
    const faults = new ActiveFaults(
      faultsOf(
        { kind: "cloudErrors", at: 0, for: "1m", rate: 0.5, error: "server" },
        { kind: "cloudErrors", at: 0, for: "1m", rate: 0.5, error: "throttled" }
      ),
      random
    )

    expect(faults.cloudCallFails("list", 0)).toBe("throttled")
    expect(random.draws).toBe(2)
  })

  it("overlapping rates combine independently", () => {
    const faults = new ActiveFaults(
      faultsOf(
        { kind: "hangingRuns", at: 0, for: "2m", rate: 0.5 },
        { kind: "hangingRuns", at: "1m", for: "2m", rate: 0.5 },
        { kind: "bootFailures", at: 0, for: "1m", rate: 0.2 },
        { kind: "bootFailures", at: 0, for: "1m", rate: 0.5 }
      ),
      scripted(0.5)
    )

    expect(faults.hangingRunRate(0)).toBe(0.5)
    expect(faults.hangingRunRate(MINUTE)).toBe(0.75)
    expect(faults.hangingRunRate(2 * MINUTE)).toBe(0.5)
    expect(faults.bootFailureRate(0)).toBeCloseTo(0.6, 12)
  })

  it("slow provisioning draws its delay", () => {
    const random = scripted(0.25)
    const faults = new ActiveFaults(
      faultsOf({ kind: "slowProvisioning", at: 0, for: "1m", delay: { kind: "uniform", min: "10m", max: "20m" } }),
      random
    )

    expect(faults.provisioningDelay(0)).toBe(12.5 * MINUTE)
    expect(random.draws).toBe(1)
  })

  it("list lag is the largest active lag", () => {
    const faults = new ActiveFaults(
      faultsOf({ kind: "listLag", at: "1m", for: "2m", lag: "10s" }, { kind: "listLag", at: "2m", for: "2m", lag: "40s" }),
      scripted(0)
    )

    expect(faults.listLagMs(MINUTE)).toBe(10_000)
    expect(faults.listLagMs(2 * MINUTE)).toBe(40_000)
    expect(faults.listLagMs(3 * MINUTE)).toBe(40_000)
    expect(faults.listLagMs(4 * MINUTE)).toBe(0)
  })

  it("history spans cover lag before windows", () => {
    const faults = new ActiveFaults(
      faultsOf(
        { kind: "listLag", at: "10m", for: "1m", lag: "2m" },
        { kind: "listLag", at: "30s", for: "1m", lag: "1m" },
        { kind: "listLag", at: "11m20s", for: "1m", lag: "30s" },
        { kind: "listLag", at: "20m", for: "1m", lag: "30s" }
      ),
      scripted(0)
    )

    expect(faults.listHistorySpans).toEqual([
      { from: 0, until: 90_000, maxLagMs: 60_000 },
      { from: 8 * MINUTE, until: 12 * MINUTE + 20_000, maxLagMs: 2 * MINUTE },
      { from: 19.5 * MINUTE, until: 21 * MINUTE, maxLagMs: 30_000 }
    ])
  })
})
