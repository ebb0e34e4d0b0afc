/**
 * The domain model the controller observes: cloud instances, control-plane
 * registry entries, and the runner views it joins them into. All times are
 * milliseconds on the controller's clock.
 */

/** Status of a runner (SPEC glossary). */
export type RunnerStatus = "Provisioning" | "Idle" | "Running" | "Tainted"

/** Reason a runner is marked Tainted and removed; also the keys of `removals` in reports. */
export type RemovalReason =
  | "heartbeat"
  | "unhealthy"
  | "oldAgent"
  | "age"
  | "createTimeout"
  | "runTimeout"
  | "idleTimeout"
  | "scaleDown"

export const REMOVAL_REASONS: ReadonlyArray<RemovalReason> = [
  "heartbeat",
  "unhealthy",
  "oldAgent",
  "age",
  "createTimeout",
  "runTimeout",
  "idleTimeout",
  "scaleDown"
]

/** Removal reasons that are health-check failures: these remove a runner even while it executes a run. */
export const HEALTH_FAILURES: ReadonlySet<RemovalReason> = new Set(["heartbeat", "unhealthy", "runTimeout"])

/** Removal reasons that rotate a runner and count against the rotation budget. */
export const ROTATIONS: ReadonlySet<RemovalReason> = new Set(["oldAgent", "age"])

/** Reason a run ended without completing. */
export type RunFailureReason = "runTimeout" | "runnerRemoved"

/** Lifecycle state of a cloud instance as the provider reports it. */
export type InstanceState = "pending" | "running" | "failed" | "terminating"

/** A VM or container of the pool, as the cloud provider lists it. */
export interface Instance {
  readonly id: string
  /** Idempotency token of the provision call that created it. */
  readonly clientToken: string
  readonly createdAt: number
  readonly state: InstanceState
  /** False when the provider reports the instance failed or lost (stack rolled back, pod failed, node lost). */
  readonly healthy: boolean
}

/** The run a runner is executing. */
export interface AssignedRun {
  readonly runId: number
  readonly startedAt: number
}

/** A runner as the control plane's registry records it; the id is its instance id. */
export interface RegistryEntry {
  readonly runnerId: string
  readonly status: "Idle" | "Running"
  /** When the runner entered its current status. */
  readonly statusSince: number
  readonly lastHeartbeatAt: number
  readonly agentVersion: string
  readonly currentRun: AssignedRun | undefined
  /** True once the pool has marked the runner Tainted; it then acquires no run. */
  readonly tainted: boolean
}

/** The control plane's report in one observation. */
export interface ControlPlaneSnapshot {
  /** Runs waiting to be acquired, not those already running. */
  readonly queueDepth: number
  /** Wait of the oldest queued run in milliseconds, 0 when the queue is empty. */
  readonly oldestWaitMs: number
  /** Registered runners by runner id. */
  readonly runners: ReadonlyMap<string, RegistryEntry>
  /**
   * Runs queued since the control plane started counting, a counter that
   * never decreases while the control plane runs. Forecasting policies take
   * arrivals from its growth. Absent when the control plane does not count
   * them, and the controller then records no arrivals.
   */
  readonly queuedTotal?: number
}

/** A runner as the controller observes it: an instance joined with its registry entry, if any. */
export interface RunnerView {
  readonly id: string
  readonly status: RunnerStatus
  readonly instance: Instance
  readonly registration: RegistryEntry | undefined
  /** Set when the runner is Tainted. */
  readonly taint: Taint | undefined
}

/** A decision to remove a runner, and when it was taken. */
export interface Taint {
  readonly reason: RemovalReason
  readonly at: number
}

/**
 * Status of a pool replica: starting (Bootup), the leader acting on the pool
 * (Active), a follower waiting for the lease (Inactive), retrying after a
 * failed operation (Error), or marked for replacement after too many
 * consecutive errors (Tainted).
 */
export type ReplicaStatus = "Bootup" | "Active" | "Inactive" | "Error" | "Tainted"
