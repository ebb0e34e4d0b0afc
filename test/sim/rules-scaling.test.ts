import { describe, expect, it } from "vitest"
import type { World } from "../../sim/world/world.js"
import {
  acquiredAfterTaint,
  burst,
  cloudWith,
  constant,
  eventsOfKind,
  instanceCountTrace,
  maxInstanceCount,
  ruleSettings,
  runSimulation,
  taintsOf,
  workloadOf
} from "./support.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe("queue-depth threshold", () => {
  // Ten runners boot at 60 s and take ten one-hour runs at 61 s. The extra runs
  // arrive at 65 s, so the 70 s pass is the first to see them, all at once.
  const settings = ruleSettings({ minPoolSize: 10, maxPoolSize: 20, queueDepthThreshold: 10, scaleUpCooldownMs: 0 })
  const busyRunners = burst(10, 61_000, HOUR)

  it("100 queued on 10 runners holds", () => {
    const { events, result } = runSimulation({
      settings,
      workload: workloadOf(busyRunners, burst(100, 65_000, MINUTE)),
      horizonMs: 10 * MINUTE
    })

    expect(eventsOfKind(events, "ScaleUp").map((event) => [event.at, event.count])).toEqual([[0, 10]])
    expect(result.runningAtEnd).toBe(10)
    expect(result.queuedAtEnd).toBe(100)
  })

  it("101 queued on 10 runners adds one", () => {
    const { events, result } = runSimulation({
      settings,
      workload: workloadOf(busyRunners, burst(101, 65_000, HOUR)),
      horizonMs: 10 * MINUTE
    })

    const scaleUps = eventsOfKind(events, "ScaleUp")
    expect(scaleUps).toHaveLength(2)
    expect(scaleUps[1]).toMatchObject({ at: 70_000, queueDepth: 101, healthy: 10, running: 10, desired: 11, count: 1 })
    // The new runner takes one run, and 100 queued runs on 11 runners want no more.
    expect(result.runningAtEnd).toBe(11)
    expect(result.queuedAtEnd).toBe(100)
  })
})

describe("same-instant arrivals", () => {
  it("are seen whole by a pass at that instant", () => {
    // Three runs arrive at 100 s, the same instant as a reconcile pass; the
    // pass must see all three, not the first of a burst still being queued.
    const { events } = runSimulation({
      settings: ruleSettings({ maxPoolSize: 10, queueDepthThreshold: 1, scaleUpCooldownMs: 0 }),
      workload: workloadOf(burst(3, 100_000, MINUTE)),
      horizonMs: 2 * MINUTE
    })

    const scaleUps = eventsOfKind(events, "ScaleUp").map((event) => [event.at, event.queueDepth, event.count])
    expect(scaleUps).toEqual([[100_000, 3, 3]])
  })
})

describe("cooldowns", () => {
  it("scale-up cooldown gates only scale-up", () => {
    // Four short runs at 1 s: scale-up at 10 s, done by 75 s, scale-down at 80 s.
    // Three more runs at 100 s must wait for the scale-up cooldown to end at 10 s + 1 h.
    const settings = ruleSettings({ scaleUpCooldownMs: HOUR, scaleDownCooldownMs: 0 })
    const { events } = runSimulation({
      settings,
      workload: workloadOf(burst(4, 1_000, 5_000), burst(3, 100_000, 5_000)),
      horizonMs: 2 * HOUR
    })

    const scaleUps = eventsOfKind(events, "ScaleUp")
    const scaleDowns = eventsOfKind(events, "ScaleDown")
    expect(scaleUps.map((event) => [event.at, event.count])).toEqual([
      [10_000, 4],
      [10_000 + HOUR, 3]
    ])
    expect(scaleDowns[0]!.at).toBe(80_000)
    expect(scaleDowns[0]!.count).toBe(4)
    expect(eventsOfKind(events, "RunCompleted")).toHaveLength(7)
  })

  it("scale-down cooldown gates only scale-down", () => {
    // Two short runs at 1 s: scale-up at 10 s, scale-down at 80 s. Three runs at
    // 95 s scale up at 100 s, and their runners wait for the scale-down cooldown to end at 80 s + 1 h.
    const settings = ruleSettings({ scaleUpCooldownMs: 0, scaleDownCooldownMs: HOUR })
    const { events } = runSimulation({
      settings,
      workload: workloadOf(burst(2, 1_000, 5_000), burst(3, 95_000, 5_000)),
      horizonMs: 2 * HOUR
    })

    const scaleUps = eventsOfKind(events, "ScaleUp")
    const scaleDowns = eventsOfKind(events, "ScaleDown")
    expect(scaleUps.map((event) => [event.at, event.count])).toEqual([
      [10_000, 2],
      [100_000, 3]
    ])
    expect(scaleDowns.map((event) => [event.at, event.count])).toEqual([
      [80_000, 2],
      [80_000 + HOUR, 3]
    ])
  })
})

describe("maximum pool size", () => {
  /**
   * Waves of runs with gaps long enough for scale-down, and a slow cloud, so
   * scale-ups happen while Tainted and terminating instances still exist.
   */
  const waves = Array.from({ length: 8 }, (_, wave) => burst(3 + (wave % 4) * 3, wave * 7 * MINUTE, (1 + (wave % 3)) * MINUTE))
  const options = {
    settings: ruleSettings({
      maxPoolSize: 5,
      scaleUpCooldownMs: 0,
      scaleDownCooldownMs: 0,
      taintGracePeriod: "2m",
      idleTimeout: "1m"
    }),
    workload: workloadOf(...waves),
    horizonMs: 2 * HOUR,
    cloud: cloudWith({ provisioningDelay: constant(30_000), deletionDelay: constant(3 * MINUTE) })
  }

  it("counts Provisioning and Tainted instances", () => {
    const worldSizes: Array<number> = []
    let world: World | undefined
    const { events, handle } = runSimulation({
      ...options,
      setup: (simulation) => {
        world = simulation.world
      },
      onEvent: () => worldSizes.push(world!.instances.size)
    })

    expect(maxInstanceCount(events)).toBe(5)
    expect(Math.max(...worldSizes)).toBe(5)
    // The cap binds: some scale-up found Tainted or terminating instances taking room.
    const crowded = eventsOfKind(events, "ScaleUp").filter((event) => event.instances > event.healthy)
    expect(crowded.length).toBeGreaterThan(0)
    expect(crowded.some((event) => event.count < event.desired - event.healthy)).toBe(true)
    expect(instanceCountTrace(events).at(-1)!.count).toBe(handle.world.instances.size)
  })

  it("holds when Tainted runners fill it", () => {
    const { events } = runSimulation(options)

    for (const scaleUp of eventsOfKind(events, "ScaleUp")) {
      expect(scaleUp.instances + scaleUp.count, `scale-up at ${scaleUp.at} ms`).toBeLessThanOrEqual(5)
    }
  })
})

describe("Tainted runner", () => {
  it("never acquires a run", () => {
    // Steady arrivals, agents that poll every 15 s, quick scale-down and
    // heartbeat losses, so runners are tainted while runs wait for a poll.
    const runs = Array.from({ length: 120 }, (_, i) => ({ arrival: 20_000 + i * 37_000, duration: ((i * 7919) % 5 + 1) * 50_000 }))
    const { events } = runSimulation({
      settings: ruleSettings({
        maxPoolSize: 6,
        scaleUpCooldownMs: 0,
        scaleDownCooldownMs: 0,
        taintGracePeriod: "2m",
        heartbeatTimeout: "2m"
      }),
      workload: workloadOf(runs),
      runners: { pollIntervalMs: 15_000, heartbeatIntervalMs: 10_000 },
      horizonMs: 2 * HOUR,
      setup: ({ kernel, world }) => {
        for (const at of [5, 17, 29, 41, 53].map((minutes) => minutes * MINUTE)) {
          kernel.at(at, () => {
            const victim = [...world.registry.values()].find((agent) => !agent.tainted)
            if (victim !== undefined) world.loseHeartbeat(victim.runnerId)
          })
        }
      }
    })

    const taints = taintsOf(events)
    expect(taints.filter((event) => event.reason === "scaleDown").length).toBeGreaterThan(3)
    expect(taints.filter((event) => event.reason === "heartbeat")).toHaveLength(5)
    expect(acquiredAfterTaint(events)).toEqual([])
    const firstTaint = taints[0]!.at
    expect(eventsOfKind(events, "RunAcquired").filter((event) => event.at > firstTaint).length).toBeGreaterThan(100)
  })

  /**
   * Taints the first runner from outside the controller, as a previous leader
   * would have, while it executes a 20-minute run that started at 61 s. The
   * controller adopts the taint from the registry.
   */
  const taintWhileRunning = (settings: ReturnType<typeof ruleSettings>, fault?: (world: World) => void) =>
    runSimulation({
      settings,
      workload: workloadOf(burst(1, 61_000, 20 * MINUTE)),
      horizonMs: 40 * MINUTE,
      setup: ({ kernel, world }) => {
        kernel.at(2 * MINUTE, () => world.taint("runner-000001"))
        if (fault !== undefined) kernel.at(5 * MINUTE, () => fault(world))
      }
    })

  it("is removed after its run completes", () => {
    const { events } = taintWhileRunning(ruleSettings({ minPoolSize: 1, maxPoolSize: 3 }))

    const completion = eventsOfKind(events, "RunCompleted")
    expect(completion.map((event) => [event.runnerId, event.at])).toEqual([["runner-000001", 61_000 + 20 * MINUTE]])
    const removal = eventsOfKind(events, "RunnerRemoved").filter((event) => event.runnerId === "runner-000001")
    expect(removal).toHaveLength(1)
    expect(removal[0]!.at).toBeGreaterThanOrEqual(completion[0]!.at)
    expect(removal[0]!.at - completion[0]!.at).toBeLessThanOrEqual(10_000)
    expect(eventsOfKind(events, "RunFailed")).toHaveLength(0)
  })

  it("is removed at the run timeout", () => {
    const { events } = taintWhileRunning(ruleSettings({ minPoolSize: 1, maxPoolSize: 3, runTimeout: "10m" }))

    const failed = eventsOfKind(events, "RunFailed")
    expect(failed.map((event) => [event.runnerId, event.reason])).toEqual([["runner-000001", "runTimeout"]])
    expect(failed[0]!.at).toBe(61_000 + 10 * MINUTE + 9_000)
    const removal = eventsOfKind(events, "RunnerRemoved")
    expect(removal.map((event) => [event.runnerId, event.reason])).toEqual([["runner-000001", "runTimeout"]])
    expect(eventsOfKind(events, "RunCompleted")).toHaveLength(0)
  })

  it("is removed when a health check fails", () => {
    const { events } = taintWhileRunning(ruleSettings({ minPoolSize: 1, maxPoolSize: 3 }), (world) =>
      world.markUnhealthy("runner-000001")
    )

    const removal = eventsOfKind(events, "RunnerRemoved")
    expect(removal.map((event) => [event.runnerId, event.reason])).toEqual([["runner-000001", "unhealthy"]])
    expect(removal[0]!.at).toBeLessThan(61_000 + 20 * MINUTE)
    expect(eventsOfKind(events, "RunFailed").map((event) => event.reason)).toEqual(["runnerRemoved"])
  })
})

describe("queue-depth-busy", () => {
  it("adds runners behind busy ones", () => {
    // Ten runners execute hour-long runs from 61 s, and five more runs queue at 65 s.
    const runs = workloadOf(burst(10, 61_000, HOUR), burst(5, 65_000, HOUR))
    const pool = { minPoolSize: 10, maxPoolSize: 20, queueDepthThreshold: 10, scaleUpCooldownMs: 0 }
    const plain = runSimulation({ settings: ruleSettings(pool), workload: runs, horizonMs: 10 * MINUTE })
    const busy = runSimulation({ settings: ruleSettings({ ...pool, policy: "queue-depth-busy" }), workload: runs, horizonMs: 10 * MINUTE })

    expect(eventsOfKind(plain.events, "ScaleUp")).toHaveLength(1)
    expect(plain.result.queuedAtEnd).toBe(5)
    const scaleUps = eventsOfKind(busy.events, "ScaleUp")
    expect(scaleUps[1]).toMatchObject({ at: 70_000, queueDepth: 5, running: 10, desired: 11, count: 1 })
    // Each new runner takes a queued run, which raises `running`, so the pool grows until the queue is empty.
    expect(busy.result.queuedAtEnd).toBe(0)
    expect(busy.result.runningAtEnd).toBe(15)
  })
})
