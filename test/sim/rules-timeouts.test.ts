import { describe, expect, it } from "vitest"
import type { PoolEvent } from "../../core/events.js"
import type { SimulationHandle } from "../../sim/simulate.js"
import {
  burst,
  cloudWith,
  constant,
  emptyWorkload,
  eventsOfKind,
  ruleSettings,
  runSimulation,
  taintsOf,
  untaintedRunners,
  workloadOf
} from "./support.js"

const MINUTE = 60_000
const FIRST_RUNNER = "runner-000001"

describe("create timeout", () => {
  const settings = ruleSettings({ minPoolSize: 1, maxPoolSize: 1, createTimeout: "10m" })

  it("removes a runner still Provisioning", () => {
    const { events, handle } = runSimulation({
      settings,
      workload: emptyWorkload,
      horizonMs: 15 * MINUTE,
      cloud: cloudWith({ provisioningDelay: constant(20 * MINUTE) })
    })

    const taints = taintsOf(events, "createTimeout")
    expect(taints.map((event) => [event.runnerId, event.from])).toEqual([[FIRST_RUNNER, "Provisioning"]])
    expect(taints[0]!.at).toBeGreaterThanOrEqual(settings.createTimeout)
    expect(taints[0]!.at - settings.createTimeout).toBeLessThanOrEqual(settings.reconcileInterval)
    const removals = eventsOfKind(events, "RunnerRemoved")
    expect(removals.map((event) => [event.runnerId, event.reason])).toEqual([[FIRST_RUNNER, "createTimeout"]])
    expect(removals[0]!.at - taints[0]!.at).toBe(settings.taintGracePeriod)

    const registered = eventsOfKind(events, "RunnerStatusChanged").filter((event) => event.reason === "registered")
    expect(registered).toHaveLength(0)
    expect(handle.world.instances.has(FIRST_RUNNER)).toBe(false)
    // The replacement is created once the first instance is deleted, because the maximum is 1.
    expect([...handle.world.instances.keys()]).toEqual(["runner-000002"])
  })

  it("keeps a runner that boots in time", () => {
    const { events, handle } = runSimulation({
      settings,
      workload: emptyWorkload,
      horizonMs: 30 * MINUTE,
      cloud: cloudWith({ provisioningDelay: constant(9 * MINUTE) })
    })

    expect(taintsOf(events)).toHaveLength(0)
    expect(untaintedRunners(handle)).toEqual([FIRST_RUNNER])
  })
})

describe("run timeout", () => {
  const settings = ruleSettings({ minPoolSize: 1, maxPoolSize: 2, runTimeout: "10m" })
  const runStart = 2 * MINUTE

  it("fails the run and removes its runner", () => {
    const { events, handle } = runSimulation({
      settings,
      workload: workloadOf(burst(1, runStart, 30 * MINUTE)),
      horizonMs: 20 * MINUTE
    })

    const failed = eventsOfKind(events, "RunFailed")
    expect(failed.map((event) => [event.runId, event.runnerId, event.reason])).toEqual([[0, FIRST_RUNNER, "runTimeout"]])
    expect(failed[0]!.at - runStart).toBeGreaterThanOrEqual(settings.runTimeout)
    expect(failed[0]!.at - runStart - settings.runTimeout).toBeLessThanOrEqual(settings.reconcileInterval)
    expect(eventsOfKind(events, "RunCompleted")).toHaveLength(0)

    const taints = taintsOf(events).filter((event) => event.runnerId === FIRST_RUNNER)
    expect(taints.map((event) => [event.from, event.reason])).toEqual([["Running", "runTimeout"]])
    const removals = eventsOfKind(events, "RunnerRemoved")
    expect(removals.map((event) => [event.runnerId, event.reason])).toEqual([[FIRST_RUNNER, "runTimeout"]])
    expect(handle.world.instances.has(FIRST_RUNNER)).toBe(false)
    expect(handle.world.runs.running).toBe(0)
    expect(untaintedRunners(handle)).toHaveLength(1)
  })

  it("lets a shorter run complete", () => {
    const { events } = runSimulation({
      settings,
      workload: workloadOf(burst(1, runStart, 9 * MINUTE)),
      horizonMs: 20 * MINUTE
    })

    expect(eventsOfKind(events, "RunCompleted").map((event) => event.runId)).toEqual([0])
    expect(eventsOfKind(events, "RunFailed")).toHaveLength(0)
    expect(taintsOf(events)).toHaveLength(0)
  })
})

/**
 * Replays the healthy runner count (Provisioning, Idle or Running: created
 * and not yet Tainted) from the events. Returns the count after each event.
 */
const healthyCountTrace = (events: ReadonlyArray<PoolEvent>): Array<{ at: number; count: number; event: PoolEvent }> => {
  const trace: Array<{ at: number; count: number; event: PoolEvent }> = []
  let count = 0
  for (const event of events) {
    if (event.kind !== "RunnerStatusChanged") continue
    if (event.from === undefined) count++
    else if (event.to === "Tainted") count--
    else continue
    trace.push({ at: event.at, count, event })
  }
  return trace
}

describe("idle timeout", () => {
  /**
   * Six runners boot at 60 s and stay Idle. At 90 s the minimum drops to 5,
   * so a scale-down starts the one-hour scale-down cooldown. At 95 s it drops
   * to 3, so scale-down waits for the cooldown and the idle timeout is the
   * only rule that removes runners.
   */
  const lowerMinimum = {
    settings: ruleSettings({
      minPoolSize: 6,
      maxPoolSize: 10,
      idleTimeout: "5m",
      scaleDownCooldownMs: 3_600_000
    }),
    setup: ({ kernel, config }: SimulationHandle) => {
      kernel.at(90_000, () => (config.settings = { ...config.settings, minPoolSize: 5 }))
      kernel.at(95_000, () => (config.settings = { ...config.settings, minPoolSize: 3 }))
    }
  }

  it("stops at the minimum pool size", () => {
    const { events, handle } = runSimulation({
      ...lowerMinimum,
      workload: emptyWorkload,
      horizonMs: 50 * MINUTE
    })

    expect(eventsOfKind(events, "ScaleDown").map((event) => [event.at, event.count])).toEqual([[90_000, 1]])
    const idleTaints = taintsOf(events, "idleTimeout")
    expect(idleTaints).toHaveLength(2)
    for (const taint of idleTaints) {
      expect(taint.from).toBe("Idle")
      // The runners are Idle from registration at 60 s, and 360 s is the first pass at or after 60 s + 5 min.
      expect(taint.at).toBe(60_000 + 5 * MINUTE)
    }
    expect(untaintedRunners(handle)).toHaveLength(3)
    expect(handle.world.instances.size).toBe(3)
  })

  it("never takes the pool below its minimum", () => {
    // Runs arrive now and then, so runners become Idle at different times.
    const runs = [burst(4, 100_000, 2 * MINUTE), burst(2, 12 * MINUTE, 3 * MINUTE), burst(5, 25 * MINUTE, MINUTE)]
    const { events, handle } = runSimulation({
      ...lowerMinimum,
      settings: { ...lowerMinimum.settings, scaleUpCooldownMs: 0 },
      workload: workloadOf(...runs),
      horizonMs: 90 * MINUTE
    })

    // One runner is Idle from 60 s and times out at 360 s. The four that ran until 220 s time out at 520 s.
    const idleTaints = taintsOf(events, "idleTimeout")
    expect(idleTaints.map((event) => event.at)).toEqual([360_000, 520_000])
    for (const point of healthyCountTrace(events)) {
      if (point.event.kind === "RunnerStatusChanged" && point.event.reason === "idleTimeout") {
        expect(point.count, `idle-timeout taint at ${point.at} ms`).toBeGreaterThanOrEqual(3)
      }
    }
    expect(eventsOfKind(events, "RunCompleted")).toHaveLength(11)
    expect(untaintedRunners(handle)).toHaveLength(3)
  })

  it("counts health taints of the same pass", () => {
    // Runner 1 goes at the 90 s scale-down. Runner 2 stops heartbeating at 61 s, so its heartbeat taint
    // lands in the 360 s pass together with the idle timeout of runners 3 to 6.
    const { events, handle } = runSimulation({
      ...lowerMinimum,
      workload: emptyWorkload,
      horizonMs: 20 * MINUTE,
      setup: (simulation) => {
        lowerMinimum.setup(simulation)
        simulation.kernel.at(61_000, () => simulation.world.loseHeartbeat("runner-000002"))
      }
    })

    const heartbeat = taintsOf(events, "heartbeat")
    const idle = taintsOf(events, "idleTimeout")
    expect(heartbeat.map((event) => [event.runnerId, event.at])).toEqual([["runner-000002", 360_000]])
    expect(idle.map((event) => event.at)).toEqual([360_000])
    expect(eventsOfKind(events, "ScaleUp").filter((event) => event.at > 0)).toHaveLength(0)
    expect(untaintedRunners(handle)).toHaveLength(3)
  })
})
