import { HEALTH_FAILURES, type RemovalReason, type RunnerView } from "../model.js"
import type { PoolSettings } from "../settings.js"
import { compareVersions } from "../version.js"
import type { Observation } from "./observe.js"

/** A runner to mark Tainted, and the run to fail with it when the run timed out. */
export interface TaintAction {
  readonly runner: RunnerView
  readonly reason: RemovalReason
  readonly failRunId: number | undefined
}

/**
 * Applies the health checks and timeouts to one observation and returns the
 * runners to taint. Health failures (heartbeat, unhealthy instance, run
 * timeout) take any runner, Running ones included, and override a softer
 * taint. Rotations (old agent, age) and the idle timeout take Idle runners
 * only; rotations stay within the rotation budget, and idle-timeout removals
 * never take the pool below its minimum size.
 */
export const checkHealth = (observation: Observation, settings: PoolSettings): ReadonlyArray<TaintAction> => {
  const { now } = observation
  const actions: Array<TaintAction> = []
  const rotationCandidates: Array<{ runner: RunnerView; reason: RemovalReason }> = []
  const idleTimedOut: Array<RunnerView> = []

  for (const runner of observation.runners) {
    const failure = healthFailure(runner, settings, now)
    if (failure !== undefined) {
      if (runner.taint === undefined || !HEALTH_FAILURES.has(runner.taint.reason)) {
        const failRunId = failure === "runTimeout" ? runner.registration?.currentRun?.runId : undefined
        actions.push({ runner, reason: failure, failRunId })
      }
      continue
    }
    if (runner.status !== "Idle") continue
    const rotation = rotationReason(runner, settings, now)
    if (rotation !== undefined) rotationCandidates.push({ runner, reason: rotation })
    else if (now - runner.registration!.statusSince >= settings.idleTimeout) idleTimedOut.push(runner)
  }

  actions.push(...withinRotationBudget(rotationCandidates, observation, settings))
  actions.push(...aboveMinimum(idleTimedOut, observation, actions.filter((a) => a.runner.taint === undefined).length, settings))
  return actions
}

/** Returns the health failure of a runner, if any, in order of precedence. */
const healthFailure = (runner: RunnerView, settings: PoolSettings, now: number): RemovalReason | undefined => {
  if (!runner.instance.healthy) return "unhealthy"
  const registration = runner.registration
  if (registration === undefined) {
    return runner.taint === undefined && now - runner.instance.createdAt >= settings.createTimeout
      ? "createTimeout"
      : undefined
  }
  if (now - registration.lastHeartbeatAt >= settings.heartbeatTimeout) return "heartbeat"
  const run = registration.currentRun
  if (run !== undefined && now - run.startedAt >= settings.runTimeout) return "runTimeout"
  return undefined
}

const rotationReason = (runner: RunnerView, settings: PoolSettings, now: number): RemovalReason | undefined => {
  if (compareVersions(runner.registration!.agentVersion, settings.agentVersion) < 0) return "oldAgent"
  if (now - runner.instance.createdAt >= settings.maxRunnerAge) return "age"
  return undefined
}

/**
 * Picks rotations, oldest runners first, while the rotations in flight (runners
 * tainted for an old agent or age whose instance still exists, terminating
 * ones included) stay within the budget.
 */
const withinRotationBudget = (
  candidates: ReadonlyArray<{ runner: RunnerView; reason: RemovalReason }>,
  observation: Observation,
  settings: PoolSettings
): ReadonlyArray<TaintAction> => {
  if (candidates.length === 0) return []
  const room = Math.max(0, settings.rotationBudget - observation.rotationsInFlight)
  return [...candidates]
    .sort((a, b) => a.runner.instance.createdAt - b.runner.instance.createdAt)
    .slice(0, room)
    .map(({ runner, reason }) => ({ runner, reason, failRunId: undefined }))
}

/** Picks idle-timeout removals, longest idle first, that keep the healthy runners at or above the minimum. */
const aboveMinimum = (
  idleTimedOut: ReadonlyArray<RunnerView>,
  observation: Observation,
  alreadyTainted: number,
  settings: PoolSettings
): ReadonlyArray<TaintAction> => {
  if (idleTimedOut.length === 0) return []
  const { Provisioning, Idle, Running } = observation.counts
  const room = Math.max(0, Provisioning + Idle + Running - alreadyTainted - settings.minPoolSize)
  return [...idleTimedOut]
    .sort((a, b) => a.registration!.statusSince - b.registration!.statusSince)
    .slice(0, room)
    .map((runner) => ({ runner, reason: "idleTimeout" as const, failRunId: undefined }))
}
