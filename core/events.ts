import type { RemovalReason, ReplicaStatus, RunFailureReason, RunnerStatus } from "./model.js"

/**
 * Typed events for every state change and decision of the pool. Reports and
 * metrics are built from this stream; the controller never formats reports.
 * `at` is milliseconds on the clock of the run that emitted the event.
 */
export type PoolEvent =
  | RunQueued
  | RunAcquired
  | RunCompleted
  | RunFailed
  | RunnerStatusChanged
  | RunnerRemoved
  | InstanceDeleted
  | ScaleUp
  | ScaleDown
  | ReconcileFailed
  | ReplicaStatusChanged

export interface RunQueued {
  readonly kind: "RunQueued"
  readonly at: number
  readonly runId: number
}

export interface RunAcquired {
  readonly kind: "RunAcquired"
  readonly at: number
  readonly runId: number
  readonly runnerId: string
  /** Time the run waited in the queue, in milliseconds. */
  readonly waitMs: number
}

export interface RunCompleted {
  readonly kind: "RunCompleted"
  readonly at: number
  readonly runId: number
  readonly runnerId: string
}

export interface RunFailed {
  readonly kind: "RunFailed"
  readonly at: number
  readonly runId: number
  readonly runnerId: string
  readonly reason: RunFailureReason
}

/** Reason a runner changed status. */
export type StatusChangeReason = "provisioned" | "registered" | "acquired" | "runFinished" | RemovalReason

export interface RunnerStatusChanged {
  readonly kind: "RunnerStatusChanged"
  readonly at: number
  readonly runnerId: string
  /** `undefined` for a runner that did not exist before. */
  readonly from: RunnerStatus | undefined
  readonly to: RunnerStatus
  readonly reason: StatusChangeReason
}

/** The pool started deleting a runner's instance, for the reason it was tainted for. The instance exists, and costs, until `InstanceDeleted`. */
export interface RunnerRemoved {
  readonly kind: "RunnerRemoved"
  readonly at: number
  readonly runnerId: string
  readonly from: RunnerStatus
  readonly reason: RemovalReason
}

/** The cloud finished deleting a runner's instance; it costs nothing from here on. */
export interface InstanceDeleted {
  readonly kind: "InstanceDeleted"
  readonly at: number
  readonly runnerId: string
}

/** The numbers a policy decision was taken on. */
export interface ScaleInputs {
  readonly policy: string
  readonly queueDepth: number
  /** Provisioning, Idle and Running runners: every runner not Tainted. */
  readonly healthy: number
  readonly running: number
  /** Every instance that exists, Tainted and terminating ones included. */
  readonly instances: number
  readonly desired: number
}

export interface ScaleUp extends ScaleInputs {
  readonly kind: "ScaleUp"
  readonly at: number
  /** Runners provisioned by this event. */
  readonly count: number
}

export interface ScaleDown extends ScaleInputs {
  readonly kind: "ScaleDown"
  readonly at: number
  /** Runners marked Tainted by this event. */
  readonly count: number
}

export interface ReconcileFailed {
  readonly kind: "ReconcileFailed"
  readonly at: number
  readonly error: string
  readonly retryable: boolean
}

export type PoolEventKind = PoolEvent["kind"]

/** A pool replica changed status. */
export interface ReplicaStatusChanged {
  readonly kind: "ReplicaStatusChanged"
  readonly at: number
  readonly replica: string
  /** `undefined` for a replica that just started. */
  readonly from: ReplicaStatus | undefined
  readonly to: ReplicaStatus
  /** Cause of the change, e.g. `started`, `leaseAcquired`, `leaseLost`, `error`, `errorThreshold`. */
  readonly reason: string
  /** The lease epoch when the replica became Active. */
  readonly epoch: number | undefined
}
