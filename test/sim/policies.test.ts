import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { POLICY_NAMES } from "../../core/policies/names.js"
import { ControlPlane } from "../../core/ports.js"
import { simControlPlaneLayer } from "../../sim/providers/controlPlane.js"
import { runMonitored } from "./monitor/support.js"
import { eventsOfKind, maxInstanceCount, poissonWorkload, ruleSettings, taintsOf } from "./support.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const MAX_POOL = 8

/** 150 runs about two minutes apart, so arrivals end near 5 h, with 2 to 12 minute durations. */
const workload = poissonWorkload(21, 150, 2 * MINUTE, { kind: "lognormal", median: 4 * MINUTE, p95: 12 * MINUTE })

const runPolicy = (policy: (typeof POLICY_NAMES)[number]) =>
  runMonitored({
    settings: ruleSettings({ maxPoolSize: MAX_POOL, idleTimeout: "15m", policy }),
    workload,
    horizonMs: 6 * HOUR
  })

describe.each(POLICY_NAMES)("%s in a 6 h simulation", (policy) => {
  const { events, violations } = runPolicy(policy)

  it("serves every run", () => {
    const arrived = eventsOfKind(events, "RunQueued").length
    expect(arrived).toBe(150)
    expect(eventsOfKind(events, "RunCompleted").length).toBe(arrived)
    expect(eventsOfKind(events, "RunFailed")).toEqual([])
  })

  it("stays within maxPoolSize", () => {
    expect(maxInstanceCount(events)).toBeLessThanOrEqual(MAX_POOL)
  })

  it("breaks no invariant", () => {
    expect(violations).toEqual([])
  })

  it("scales up at least once", () => {
    expect(eventsOfKind(events, "ScaleUp").length).toBeGreaterThan(0)
  })
})

describe("keda-scaledjob in simulation", () => {
  it("leaves runners to the idle timeout", () => {
    const { events } = runPolicy("keda-scaledjob")
    expect(taintsOf(events, "scaleDown")).toEqual([])
    expect(taintsOf(events, "idleTimeout").length).toBeGreaterThan(0)
  })
})

describe("simulated control plane", () => {
  const queuedTotalOf = (world: Parameters<typeof simControlPlaneLayer>[0]): number | undefined => {
    const snapshot = ControlPlane.pipe(Effect.flatMap((plane) => plane.snapshot))
    return Effect.runSync(Effect.provide(snapshot, simControlPlaneLayer(world))).queuedTotal
  }

  it("counts every queued run in queuedTotal", () => {
    const counted: Array<number | undefined> = []
    const { events, handle } = runMonitored({
      settings: ruleSettings({ maxPoolSize: MAX_POOL, policy: "predictive" }),
      workload,
      horizonMs: 6 * HOUR,
      setup: ({ kernel, world }) => kernel.at(2 * HOUR, () => counted.push(queuedTotalOf(world)))
    })

    expect(counted).toEqual([workload.arrivals.filter((arrival) => arrival <= 2 * HOUR).length])
    expect(queuedTotalOf(handle.world)).toBe(eventsOfKind(events, "RunQueued").length)
  })
})
