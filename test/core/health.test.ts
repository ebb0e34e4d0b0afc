import { describe, expect, it } from "vitest"
import { checkHealth, type TaintAction } from "../../core/controller/health.js"
import type { Observation } from "../../core/controller/observe.js"
import type { RegistryEntry, RunnerStatus, RunnerView, Taint } from "../../core/model.js"
import { defaultPoolSettings } from "../../core/settings.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const NOW = 100 * HOUR

interface RunnerSpec {
  readonly status: RunnerStatus
  /** Creation time of the instance, 1 h ago unless given. */
  readonly createdAt?: number
  readonly healthy?: boolean
  /** Time the runner entered its registry status, 50 min ago unless given. */
  readonly statusSince?: number
  readonly lastHeartbeatAt?: number
  readonly agentVersion?: string
  /** Start of the current run. When it is set, the runner executes run 7. */
  readonly runStartedAt?: number
  readonly taint?: Taint
  /** Registry status of a Tainted runner, Idle unless given, and `undefined` for one that never registered. */
  readonly registeredAs?: "Idle" | "Running" | undefined
}

/** Builds a runner view as `observePool` would, with a fresh heartbeat and agent 1.0.0 unless the spec sets them. */
const runner = (id: string, spec: RunnerSpec): RunnerView => {
  let registryStatus: "Idle" | "Running" | undefined
  if (spec.status === "Tainted") registryStatus = "registeredAs" in spec ? spec.registeredAs : "Idle"
  else if (spec.status !== "Provisioning") registryStatus = spec.status
  const registration: RegistryEntry | undefined =
    registryStatus === undefined
      ? undefined
      : {
          runnerId: id,
          status: registryStatus,
          statusSince: spec.statusSince ?? NOW - 50 * MINUTE,
          lastHeartbeatAt: spec.lastHeartbeatAt ?? NOW - 10_000,
          agentVersion: spec.agentVersion ?? "1.0.0",
          currentRun: spec.runStartedAt === undefined ? undefined : { runId: 7, startedAt: spec.runStartedAt },
          tainted: spec.taint !== undefined
        }
  return {
    id,
    status: spec.status,
    instance: {
      id,
      clientToken: `token-${id}`,
      createdAt: spec.createdAt ?? NOW - HOUR,
      state: spec.status === "Provisioning" ? "pending" : "running",
      healthy: spec.healthy ?? true
    },
    registration,
    taint: spec.taint
  }
}

/** Builds an observation of the given runners. `extra` adds terminating instances and rotations in flight. */
const observation = (
  runners: ReadonlyArray<RunnerView>,
  extra: { terminating?: number; rotationsInFlight?: number } = {}
): Observation => {
  const counts = { Provisioning: 0, Idle: 0, Running: 0, Tainted: 0 }
  for (const view of runners) counts[view.status]++
  const rotationsInFlight =
    extra.rotationsInFlight ?? runners.filter((view) => view.taint?.reason === "oldAgent" || view.taint?.reason === "age").length
  return {
    now: NOW,
    queueDepth: 0,
    oldestWaitMs: 0,
    runners,
    instances: runners.length + (extra.terminating ?? 0),
    rotationsInFlight,
    counts
  }
}

const settings = defaultPoolSettings({ idleTimeout: "off", maxRunnerAge: "off" })

/** The actions as [runner id, reason, failed run] triples, sorted by runner id. */
const summary = (actions: ReadonlyArray<TaintAction>) =>
  actions.map((action) => [action.runner.id, action.reason, action.failRunId]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))

describe("checkHealth", () => {
  it("passes a healthy pool", () => {
    const pool = [runner("a", { status: "Idle" }), runner("b", { status: "Running", runStartedAt: NOW - MINUTE }), runner("c", { status: "Provisioning", createdAt: NOW - MINUTE })]
    expect(checkHealth(observation(pool), settings)).toEqual([])
  })

  describe("heartbeat", () => {
    it("taints at the timeout, Running ones included", () => {
      const stale = NOW - settings.heartbeatTimeout
      const pool = [
        runner("idle", { status: "Idle", lastHeartbeatAt: stale }),
        runner("running", { status: "Running", lastHeartbeatAt: stale, runStartedAt: NOW - MINUTE }),
        runner("fresh", { status: "Idle", lastHeartbeatAt: stale + 1 })
      ]
      expect(summary(checkHealth(observation(pool), settings))).toEqual([
        ["idle", "heartbeat", undefined],
        ["running", "heartbeat", undefined]
      ])
    })

    it("overrides a scale-down taint", () => {
      const pool = [runner("a", { status: "Tainted", taint: { reason: "scaleDown", at: NOW - MINUTE }, lastHeartbeatAt: NOW - HOUR })]
      expect(summary(checkHealth(observation(pool), settings))).toEqual([["a", "heartbeat", undefined]])
    })

    it("leaves a runner tainted for a health failure", () => {
      const pool = [runner("a", { status: "Tainted", taint: { reason: "unhealthy", at: NOW - MINUTE }, lastHeartbeatAt: NOW - HOUR })]
      expect(checkHealth(observation(pool), settings)).toEqual([])
    })
  })

  it("taints an unhealthy instance before anything else", () => {
    const pool = [
      runner("a", { status: "Running", healthy: false, lastHeartbeatAt: NOW - HOUR, runStartedAt: NOW - 7 * HOUR }),
      runner("b", { status: "Provisioning", healthy: false, createdAt: NOW - MINUTE })
    ]
    expect(summary(checkHealth(observation(pool), settings))).toEqual([
      ["a", "unhealthy", undefined],
      ["b", "unhealthy", undefined]
    ])
  })

  it("taints a runner Provisioning past the create timeout", () => {
    const pool = [
      runner("late", { status: "Provisioning", createdAt: NOW - settings.createTimeout }),
      runner("booting", { status: "Provisioning", createdAt: NOW - settings.createTimeout + 1 }),
      runner("tainted", { status: "Tainted", registeredAs: undefined, createdAt: NOW - HOUR, taint: { reason: "scaleDown", at: NOW - HOUR } })
    ]
    expect(summary(checkHealth(observation(pool), settings))).toEqual([["late", "createTimeout", undefined]])
  })

  it("taints a run past the run timeout and fails it", () => {
    const timeout = defaultPoolSettings({ runTimeout: "1h", idleTimeout: "off", maxRunnerAge: "off" })
    const pool = [
      runner("over", { status: "Running", runStartedAt: NOW - HOUR }),
      runner("under", { status: "Running", runStartedAt: NOW - HOUR + 1 }),
      runner("drained", { status: "Tainted", registeredAs: "Running", runStartedAt: NOW - 2 * HOUR, taint: { reason: "scaleDown", at: NOW - MINUTE } })
    ]
    expect(summary(checkHealth(observation(pool), timeout))).toEqual([
      ["drained", "runTimeout", 7],
      ["over", "runTimeout", 7]
    ])
  })

  describe("rotation", () => {
    const upgraded = { ...settings, agentVersion: "2.0.0" }

    it("taints Idle runners with an old agent, never Running ones", () => {
      const pool = [
        runner("idle-old", { status: "Idle", agentVersion: "1.9.0" }),
        runner("running-old", { status: "Running", agentVersion: "1.9.0", runStartedAt: NOW - MINUTE }),
        runner("idle-new", { status: "Idle", agentVersion: "2.0.0" }),
        runner("provisioning", { status: "Provisioning", createdAt: NOW - MINUTE })
      ]
      expect(summary(checkHealth(observation(pool), upgraded))).toEqual([["idle-old", "oldAgent", undefined]])
    })

    it("stays within the budget, oldest first", () => {
      const pool = ["a", "b", "c", "d"].map((id, index) => runner(id, { status: "Idle", agentVersion: "1.0.0", createdAt: NOW - HOUR + index * MINUTE }))
      const reversed = [...pool].reverse()
      expect(summary(checkHealth(observation(reversed), upgraded))).toEqual([
        ["a", "oldAgent", undefined],
        ["b", "oldAgent", undefined]
      ])
    })

    it("counts rotations in flight against the budget", () => {
      const pool = ["a", "b", "c"].map((id) => runner(id, { status: "Idle", agentVersion: "1.0.0" }))
      expect(checkHealth(observation(pool, { rotationsInFlight: 1 }), upgraded)).toHaveLength(1)
      expect(checkHealth(observation(pool, { terminating: 2, rotationsInFlight: 2 }), upgraded)).toEqual([])
    })

    it("removes a runner past the maximum age once Idle", () => {
      const aged = defaultPoolSettings({ maxRunnerAge: "48h", idleTimeout: "off" })
      const pool = [
        runner("idle-old", { status: "Idle", createdAt: NOW - 48 * HOUR }),
        runner("running-old", { status: "Running", createdAt: NOW - 60 * HOUR, runStartedAt: NOW - MINUTE }),
        runner("idle-young", { status: "Idle", createdAt: NOW - 48 * HOUR + 1 })
      ]
      expect(summary(checkHealth(observation(pool), aged))).toEqual([["idle-old", "age", undefined]])
    })
  })

  describe("idle timeout", () => {
    const idle = (minPoolSize: number) => defaultPoolSettings({ idleTimeout: "30m", maxRunnerAge: "off", minPoolSize })
    const pool = [
      runner("idle-40m", { status: "Idle", statusSince: NOW - 40 * MINUTE }),
      runner("idle-30m", { status: "Idle", statusSince: NOW - 30 * MINUTE }),
      runner("idle-50m", { status: "Idle", statusSince: NOW - 50 * MINUTE }),
      runner("idle-29m", { status: "Idle", statusSince: NOW - 29 * MINUTE }),
      runner("running", { status: "Running", statusSince: NOW - HOUR, runStartedAt: NOW - HOUR })
    ]

    it("taints runners Idle past the timeout", () => {
      expect(summary(checkHealth(observation(pool), idle(0)))).toEqual([
        ["idle-30m", "idleTimeout", undefined],
        ["idle-40m", "idleTimeout", undefined],
        ["idle-50m", "idleTimeout", undefined]
      ])
    })

    // Five healthy runners, three of them timed out.
    it.each([
      [2, ["idle-30m", "idle-40m", "idle-50m"]],
      [3, ["idle-40m", "idle-50m"]],
      [4, ["idle-50m"]],
      [5, []]
    ])("with minimum %i taints %j, longest idle first", (minPoolSize, expected) => {
      const ids = checkHealth(observation(pool), idle(minPoolSize)).map((action) => action.runner.id).sort()
      expect(ids).toEqual(expected)
    })

    it("counts other taints of the same pass", () => {
      const withStale = [...pool, runner("stale", { status: "Idle", lastHeartbeatAt: NOW - HOUR, statusSince: NOW - 5 * MINUTE })]
      // 6 healthy runners, 1 lost to the heartbeat check, minimum 3: 2 idle-timeout taints.
      expect(summary(checkHealth(observation(withStale), idle(3)))).toEqual([
        ["idle-40m", "idleTimeout", undefined],
        ["idle-50m", "idleTimeout", undefined],
        ["stale", "heartbeat", undefined]
      ])
    })

    it("counts Provisioning runners toward the minimum", () => {
      const growing = [...pool, runner("new", { status: "Provisioning", createdAt: NOW - MINUTE })]
      // 6 healthy runners with the Provisioning one, minimum 4: 2 taints.
      expect(checkHealth(observation(growing), idle(4)).map((action) => action.runner.id).sort()).toEqual(["idle-40m", "idle-50m"])
    })
  })
})
