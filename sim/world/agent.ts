import type { AssignedRun, Instance, InstanceState, RegistryEntry } from "../../core/model.js"
import type { HeapEntry } from "../kernel/heap.js"

/** A simulated VM or container. Mutable world state; the controller reads it through the `Instance` interface. */
export class SimInstance implements Instance {
  state: InstanceState = "pending"
  healthy = true
  /** Marked Tainted before its agent registered; the agent then registers Tainted. */
  taintedEarly = false
  agent: SimAgent | undefined = undefined
  /** Pending boot or deletion step. */
  pending: HeapEntry | undefined = undefined

  constructor(
    readonly id: string,
    readonly clientToken: string,
    readonly createdAt: number,
    readonly agentVersion: string
  ) {}
}

/**
 * A simulated runner agent as the control plane's registry sees it. The
 * agent heartbeats every `heartbeatIntervalMs` from registration until its
 * heartbeat is lost; `lastHeartbeatAt` is computed from that schedule
 * instead of one heap entry per beat, which would dominate the event count
 * of a large pool.
 */
export class SimAgent implements RegistryEntry {
  status: "Idle" | "Running" = "Idle"
  statusSince: number
  currentRun: AssignedRun | undefined = undefined
  tainted = false
  /** Virtual time the agent stopped communicating; `Infinity` while it heartbeats. */
  heartbeatLostAt = Infinity
  /** Completion step of the current run. */
  completion: HeapEntry | undefined = undefined

  constructor(
    readonly instance: SimInstance,
    readonly registeredAt: number,
    private readonly heartbeatIntervalMs: number,
    private readonly clock: { readonly now: number }
  ) {
    this.statusSince = registeredAt
  }

  get runnerId(): string {
    return this.instance.id
  }

  get agentVersion(): string {
    return this.instance.agentVersion
  }

  get lastHeartbeatAt(): number {
    const until = Math.min(this.clock.now, this.heartbeatLostAt)
    const interval = this.heartbeatIntervalMs
    if (interval <= 0) return until
    return this.registeredAt + Math.floor((until - this.registeredAt) / interval) * interval
  }

  /** Whether the agent takes a run when it polls. */
  get canAcquire(): boolean {
    return this.status === "Idle" && !this.tainted && this.heartbeatLostAt === Infinity
  }
}
