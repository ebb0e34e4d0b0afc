import { describe, expect, it } from "vitest"
import type { Instance } from "../../../core/model.js"
import type { CloudModel } from "../../../sim/world/models.js"
import { burst, eventsOfKind, maxInstanceCount, poissonWorkload, ruleSettings, workloadOf } from "../support.js"
import { copyInstance, faultsOf, runWithFaults } from "./support.js"

const MINUTE = 60_000

/** A cloud with random boot and deletion times and boot failures, so instances change state often. */
const busyCloud: CloudModel = {
  provisioningDelay: { kind: "exponential", mean: 90_000 },
  startupScriptDuration: { kind: "uniform", min: 5_000, max: 20_000 },
  deletionDelay: { kind: "exponential", mean: 30_000 },
  bootFailureRate: 0.1,
  costPerRunnerHour: 0
}

describe("listLag fault", () => {
  it("never shows a deleted instance again", () => {
    // A lag that starts after instances were deleted must not list them as alive,
    // or the controller taints and removes runners that no longer exist: with a
    // 5 min create timeout, a deleted runner listed again unregistered is tainted.
    const { events } = runWithFaults(
      {
        settings: ruleSettings({
          minPoolSize: 1,
          maxPoolSize: 8,
          idleTimeout: "3m",
          createTimeout: "5m",
          scaleUpCooldownMs: 0,
          scaleDownCooldownMs: 0
        }),
        workload: poissonWorkload(9, 120, 30_000, { kind: "lognormal", median: 2 * MINUTE, p95: 8 * MINUTE }),
        horizonMs: 60 * MINUTE,
        cloud: busyCloud
      },
      faultsOf({ kind: "listLag", at: "30m", for: "20m", lag: "10m" })
    )

    const deleted = new Set<string>()
    const afterDeletion: Array<string> = []
    for (const event of events) {
      if (event.kind === "InstanceDeleted") deleted.add(event.runnerId)
      else if ((event.kind === "RunnerStatusChanged" || event.kind === "RunnerRemoved") && deleted.has(event.runnerId)) {
        afterDeletion.push(`${event.kind} ${event.runnerId} at ${event.at}`)
      }
    }
    expect(deleted.size).toBeGreaterThan(5)
    expect(afterDeletion).toEqual([])
  })

  it("lists the instances of lag ago", () => {
    const lag = 45_000
    const windowStart = 10 * MINUTE
    const windowEnd = 50 * MINUTE
    // Live lists by sample time, and the lists the cloud returned in the window.
    const live = new Map<number, Array<Instance>>()
    const lagged = new Map<number, Array<Instance>>()
    const liveObjects: Array<boolean> = []

    runWithFaults(
      {
        settings: ruleSettings({ minPoolSize: 1, maxPoolSize: 8, idleTimeout: "3m", scaleUpCooldownMs: 0, scaleDownCooldownMs: 0 }),
        workload: poissonWorkload(9, 120, 30_000, { kind: "lognormal", median: 2 * MINUTE, p95: 8 * MINUTE }),
        horizonMs: 60 * MINUTE,
        cloud: busyCloud,
        setup: ({ kernel, world }) => {
          // Samples fall half a second off the 10 s pass grid, where no instance changes.
          for (let t = 500; t < 60 * MINUTE; t += 1_000) {
            kernel.at(t, () => {
              live.set(t, [...world.instances.values()].map(copyInstance))
              const listed = world.listInstances()
              if (t >= windowStart && t < windowEnd) lagged.set(t, listed.map(copyInstance))
              else liveObjects.push(listed.every((instance) => world.instances.get(instance.id) === instance))
            })
          }
        }
      },
      faultsOf(
        { kind: "listLag", at: windowStart, for: windowEnd - windowStart, lag },
        { kind: "instanceUnhealthy", at: "20m", runners: 2 }
      )
    )

    expect(lagged.size).toBe((windowEnd - windowStart) / 1_000)
    let differsFromLive = 0
    for (const [t, listed] of lagged) {
      // The list never goes back in time: until `lag` into the window it shows the
      // last state listed before the window, at 500 ms before its start.
      expect(listed, `list at ${t} ms`).toEqual(live.get(Math.max(windowStart - 500, t - lag)))
      if (JSON.stringify(listed) !== JSON.stringify(live.get(t))) differsFromLive++
    }
    // The lag is visible: many lists in the window differ from the live one.
    expect(differsFromLive).toBeGreaterThan(100)
    // Outside the window the cloud returns the live instances themselves.
    expect(liveObjects.length).toBe(20 * 60)
    expect(liveObjects.every((isLive) => isLive)).toBe(true)
  })

  /** Ten hour-long runs arrive at 5 min into an empty pool of at most 3, while the list lags from 4 min to 24 min. */
  const burstUnderLag = (lag: string) =>
    runWithFaults(
      {
        settings: ruleSettings({ minPoolSize: 0, maxPoolSize: 3, idleTimeout: "5m" }),
        workload: workloadOf(burst(10, 5 * MINUTE, 60 * MINUTE)),
        horizonMs: 180 * MINUTE
      },
      faultsOf({ kind: "listLag", at: "4m", for: "20m", lag })
    )

  // The controller counts the instances it provisioned until the list shows them, so no
  // lag, shorter or longer than the scale-up cooldown, makes it provision past the maximum.
  it.each(["5s", "20s", "30s", "45s", "2m"])("lag %s keeps the maximum", (lag) => {
    const { events, handle } = burstUnderLag(lag)

    expect(maxInstanceCount(events)).toBe(3)
    expect(eventsOfKind(events, "RunnerStatusChanged").filter((event) => event.reason === "provisioned")).toHaveLength(3)
    // The three runners are still working through the ten runs at the horizon.
    expect(eventsOfKind(events, "RunnerRemoved")).toEqual([])
    expect(handle.world.instances.size).toBe(3)
  })
})
