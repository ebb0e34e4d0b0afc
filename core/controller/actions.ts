import { Clock, Effect, Either } from "effect"
import type { ActionError } from "../errors.js"
import type { RunnerView } from "../model.js"
import { CloudProvider, ControlPlane, EventSink } from "../ports.js"
import type { ScalingDecision } from "../policies/policy.js"
import type { PolicyInput } from "../policies/policy.js"
import { providerCallRetry } from "../schedules.js"
import type { Fence } from "./fence.js"
import type { TaintAction } from "./health.js"
import type { ControllerState } from "./state.js"

/** The services the controller acts through. */
export type ControllerServices = CloudProvider | ControlPlane | EventSink

const retried = <A, E extends ActionError, R>(call: Effect.Effect<A, E, R>) => Effect.retry(call, providerCallRetry)

/** Runs a runner operation under the fence, so it happens only while this replica holds the lease; retries retryable failures. */
const fenced = <A, E extends ActionError, R>(fence: Fence, operation: string, call: (epoch: number) => Effect.Effect<A, E, R>) =>
  retried(Effect.flatMap(fence(operation), call))

/**
 * Marks a runner Tainted, so it acquires no new run, and fails its run when
 * the run timed out. The taint goes first, so the runner cannot acquire
 * another run between the two calls.
 */
export const taintRunner = (action: TaintAction, state: ControllerState, fence: Fence) =>
  Effect.gen(function* () {
    const controlPlane = yield* ControlPlane
    const sink = yield* EventSink
    yield* fenced(fence, "taintRunner", () => controlPlane.taintRunner(action.runner.id, action.reason))
    const at = yield* Clock.currentTimeMillis
    state.taints.set(action.runner.id, { reason: action.reason, at })
    yield* sink.emit({
      kind: "RunnerStatusChanged",
      at,
      runnerId: action.runner.id,
      from: action.runner.status,
      to: "Tainted",
      reason: action.reason
    })
    const runId = action.failRunId
    if (runId !== undefined) yield* fenced(fence, "failRun", () => controlPlane.failRun(runId, "runTimeout"))
  })

/** Deregisters a Tainted runner and starts deleting its instance. */
export const removeRunner = (runner: RunnerView, state: ControllerState, fence: Fence) =>
  Effect.gen(function* () {
    const controlPlane = yield* ControlPlane
    const cloud = yield* CloudProvider
    const sink = yield* EventSink
    yield* fenced(fence, "deregister", () => controlPlane.deregister(runner.id))
    yield* fenced(fence, "terminate", (epoch) => cloud.terminate(runner.id, epoch))
    state.removing.add(runner.id)
    const at = yield* Clock.currentTimeMillis
    yield* sink.emit({ kind: "RunnerRemoved", at, runnerId: runner.id, from: runner.status, reason: runner.taint!.reason })
  })

/**
 * Provisions up to `decision.count` runners, one call each, and records the
 * scale-up event with the number actually provisioned. The cooldown starts
 * only when at least one runner was provisioned. A failed call ends the
 * scale-up and fails the pass, after the runners provisioned so far are
 * recorded, so that a cloud outage shows as failed passes instead of
 * scale-ups that created nothing.
 */
export const scaleUp = (decision: ScalingDecision & { kind: "scaleUp" }, input: PolicyInput, state: ControllerState, fence: Fence) =>
  Effect.gen(function* () {
    const cloud = yield* CloudProvider
    const sink = yield* EventSink
    let provisioned = 0
    let failure: ActionError | undefined
    for (let i = 0; i < decision.count && failure === undefined; i++) {
      const sequence = ++state.provisionCount
      const outcome = yield* Effect.either(
        fenced(fence, "provision", (epoch) =>
          cloud.provision({ clientToken: `${state.tokenPrefix}-${epoch}-${sequence}`, agentVersion: input.settings.agentVersion, epoch })
        )
      )
      if (Either.isLeft(outcome)) {
        failure = outcome.left
        continue
      }
      provisioned++
      const at = yield* Clock.currentTimeMillis
      state.expectedCreations.set(outcome.right.id, at)
      yield* sink.emit({ kind: "RunnerStatusChanged", at, runnerId: outcome.right.id, from: undefined, to: "Provisioning", reason: "provisioned" })
    }
    if (provisioned > 0) {
      state.lastScaleUpAt = input.now
      const at = yield* Clock.currentTimeMillis
      yield* sink.emit({ kind: "ScaleUp", at, count: provisioned, ...scaleInputs(input, decision.desired) })
    }
    if (failure !== undefined) return yield* Effect.fail(failure)
  })

/** Taints `decision.count` Idle runners, longest idle first, and records the scale-down event. */
export const scaleDown = (
  decision: ScalingDecision & { kind: "scaleDown" },
  input: PolicyInput,
  idle: ReadonlyArray<RunnerView>,
  state: ControllerState,
  fence: Fence
) =>
  Effect.gen(function* () {
    const sink = yield* EventSink
    state.lastScaleDownAt = input.now
    const at = yield* Clock.currentTimeMillis
    yield* sink.emit({ kind: "ScaleDown", at, count: decision.count, ...scaleInputs(input, decision.desired) })
    const longestIdle = [...idle].sort((a, b) => a.registration!.statusSince - b.registration!.statusSince)
    for (const runner of longestIdle.slice(0, decision.count)) {
      yield* taintRunner({ runner, reason: "scaleDown", failRunId: undefined }, state, fence)
    }
  })

const scaleInputs = (input: PolicyInput, desired: number) => ({
  policy: input.settings.policy,
  queueDepth: input.queueDepth,
  healthy: input.provisioning + input.idle + input.running,
  running: input.running,
  instances: input.instances,
  desired
})
