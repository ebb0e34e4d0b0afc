import type { PoolEvent, RunFailed, RunnerStatusChanged } from "../../core/events.js"
import { HEALTH_FAILURES, type RemovalReason } from "../../core/model.js"
import type { RecordViolation } from "./violation.js"

/** A runner as recorded in the control plane's registry, for the checks that read the live world. */
export interface RegisteredRunner {
  readonly status: "Idle" | "Running"
}

/** The control plane's registry now, by runner id. */
export type RegistryNow = () => ReadonlyMap<string, RegisteredRunner>

/**
 * Checks the invariants about single runners, from the events:
 *
 * - `busyRunnerRemoved`: a run failed because its runner was removed
 *   (`RunFailed` with reason `runnerRemoved`) while the runner's latest
 *   taint was not a health failure (heartbeat loss, unhealthy instance, run
 *   timeout), or while the runner had no taint at all.
 * - `provisioningRemovedByScaleDown`: a runner was marked Tainted for
 *   `scaleDown` from a status other than Idle, as the event reports it or,
 *   when `registry` is given, as the registry records it at that instant
 *   (not registered yet, or Running).
 * - `taintedAcquired`: a runner acquired a run after an event marked it
 *   Tainted.
 */
export class RunnerChecks {
  /** Latest taint reason of each runner whose instance still exists. */
  private readonly taints = new Map<string, RemovalReason>()

  constructor(
    private readonly record: RecordViolation,
    private readonly registry: RegistryNow | undefined
  ) {}

  onEvent(event: PoolEvent): void {
    switch (event.kind) {
      case "RunnerStatusChanged":
        if (event.to === "Tainted") this.onTaint(event)
        return
      case "RunAcquired":
        if (this.taints.has(event.runnerId)) {
          this.record({
            invariant: "taintedAcquired",
            at: event.at,
            ids: [event.runnerId, String(event.runId)],
            detail: `runner ${event.runnerId}, Tainted for ${this.taints.get(event.runnerId)}, acquired run ${event.runId}`
          })
        }
        return
      case "RunFailed":
        if (event.reason === "runnerRemoved") this.onRemovedWhileBusy(event)
        return
      case "InstanceDeleted":
        this.taints.delete(event.runnerId)
        return
    }
  }

  private onTaint(event: RunnerStatusChanged): void {
    // A taint event's reason is always a removal reason; the other status-change reasons never lead to Tainted.
    this.taints.set(event.runnerId, event.reason as RemovalReason)
    if (event.reason !== "scaleDown") return
    const actual = this.statusInRegistry(event.runnerId)
    const from = event.from === "Idle" && actual !== undefined ? actual : event.from
    if (from === "Idle") return
    const seen = from === event.from ? `from ${from}` : `from Idle in the event, but the registry shows it ${from}`
    this.record({
      invariant: "provisioningRemovedByScaleDown",
      at: event.at,
      ids: [event.runnerId],
      detail: `scale-down marked runner ${event.runnerId} Tainted ${seen}`
    })
  }

  /** Looks up the runner's status in the live registry: Provisioning when it has not registered, `undefined` without a registry. */
  private statusInRegistry(runnerId: string): "Provisioning" | "Idle" | "Running" | undefined {
    if (this.registry === undefined) return undefined
    return this.registry().get(runnerId)?.status ?? "Provisioning"
  }

  private onRemovedWhileBusy(event: RunFailed): void {
    const taint = this.taints.get(event.runnerId)
    if (taint !== undefined && HEALTH_FAILURES.has(taint)) return
    const why = taint === undefined ? "without any taint" : `while Tainted for ${taint}, which is not a health failure`
    this.record({
      invariant: "busyRunnerRemoved",
      at: event.at,
      ids: [event.runnerId, String(event.runId)],
      detail: `runner ${event.runnerId} was removed ${why}, failing its run ${event.runId}`
    })
  }
}
