import { Cause, Effect, Exit, Fiber, Layer, Random } from "effect"
import { runReplica } from "../../core/controller/replica.js"
import type { PoolEvent } from "../../core/events.js"
import type { ReplicaStatus } from "../../core/model.js"
import { CloudProvider, ControlPlane, EventSink, LeaderElection, PoolConfig } from "../../core/ports.js"
import type { ReplicaSettings } from "../../core/replicaSettings.js"
import type { ReplicaFault } from "../faults/schema.js"
import type { Kernel } from "../kernel/kernel.js"
import { simCloudProviderLayer, type SimCloudOptions } from "../providers/cloud.js"
import { simControlPlaneLayer } from "../providers/controlPlane.js"
import { leaseElectionLayer, soleLeaderLayer } from "../providers/election.js"
import type { World } from "../world/world.js"
import { LeaseStore } from "./leaseStore.js"
import { makePausableClock } from "./pausableClock.js"

/** The program of one replica, given its id and settings, over the services the supervisor provides. */
export type ReplicaProgram = (
  replica: string,
  settings: ReplicaSettings
) => Effect.Effect<unknown, unknown, CloudProvider | ControlPlane | LeaderElection | EventSink | PoolConfig>

/** The replica a fault targets: the current leader, or a slot index. */
export type ReplicaTarget = "leader" | number

export interface ReplicaSupervisorOptions {
  readonly kernel: Kernel
  readonly world: World
  readonly settings: ReplicaSettings
  /** One replica with a lease that never expires: no renewals, no fencing. */
  readonly sole: boolean
  readonly seed: number
  /** The event sink and pool configuration every replica shares. */
  readonly shared: Layer.Layer<EventSink | PoolConfig>
  readonly emit: (event: PoolEvent) => void
  readonly cloud: Pick<SimCloudOptions, "onCall" | "failure">
  /** The program each replica runs; `runReplica` unless a test supplies a deliberately broken variant. */
  readonly program?: ReplicaProgram | undefined
  /** Applied to each replica's program, for logging. */
  readonly instrument: <A, E>(program: Effect.Effect<A, E>) => Effect.Effect<A, E>
}

interface Slot {
  readonly index: number
  generation: number
  id: string
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined
  status: ReplicaStatus | undefined
  pausedUntil: number
  outageUntil: number
  /** Replicas of this slot in a row that ended before leaving Bootup. */
  failedBoots: number
  /** Whether the current replica became Active or Inactive. */
  leftBootup: boolean
}

/** Maximum wait before replacing a replica that keeps failing in Bootup, in milliseconds. */
const MAX_RESTART_BACKOFF_MS = 300_000

/**
 * Returns the wait before a slot's next replica starts, in milliseconds. It
 * is the replace delay, or, after replicas in a row failed before leaving
 * Bootup, a backoff that starts at one second and doubles up to five
 * minutes, as an orchestrator backs off a process that keeps crashing at
 * start. It is at least 1 ms, so that a zero replace delay cannot restart a
 * failing replica over and over at one instant.
 */
export const replacementDelay = (replaceDelay: number, failedBoots: number): number => {
  if (failedBoots === 0) return Math.max(1, replaceDelay)
  const backoff = Math.min(MAX_RESTART_BACKOFF_MS, 1_000 * 2 ** (failedBoots - 1))
  return Math.max(replaceDelay, backoff)
}

/**
 * Runs the pool's replicas as the orchestrator of a real deployment would:
 * `count` replicas at once, each a fresh process with its own state, and a
 * replacement `replaceDelay` after one crashes or becomes Tainted. Fault
 * injection crashes, pauses or cuts off replicas through it.
 */
export class ReplicaSupervisor {
  readonly leases = new LeaseStore()
  private readonly slots: Array<Slot> = []
  private stopping = false
  /** The first failure of a replica's program other than an interruption: a bug, which fails the run. */
  defect: Cause.Cause<unknown> | undefined = undefined

  constructor(private readonly options: ReplicaSupervisorOptions) {}

  /** Starts every replica at the current virtual time; call inside a kernel step. */
  start(): void {
    for (let index = 0; index < this.options.settings.count; index++) {
      const slot: Slot = {
        index,
        generation: 0,
        id: "",
        fiber: undefined,
        status: undefined,
        pausedUntil: -Infinity,
        outageUntil: -Infinity,
        failedBoots: 0,
        leftBootup: false
      }
      this.slots.push(slot)
      this.launch(slot)
    }
  }

  /** Stops every replica without replacing it; call inside a kernel step at the end of a run. */
  stop(): void {
    this.stopping = true
    for (const slot of this.slots) {
      if (slot.fiber !== undefined) Effect.runFork(Fiber.interrupt(slot.fiber), { scheduler: this.options.kernel.scheduler })
    }
  }

  /** Kills the targeted replica's process; it is replaced after the replace delay. */
  crash(target: ReplicaTarget): void {
    const slot = this.resolve(target)
    if (slot?.fiber === undefined) return
    const fiber = slot.fiber
    this.record(slot, "Tainted", "crashed")
    Effect.runFork(Fiber.interrupt(fiber), { scheduler: this.options.kernel.scheduler })
  }

  /** Freezes the targeted replica for `durationMs`: none of its sleeps end before then. */
  pause(target: ReplicaTarget, durationMs: number): void {
    const slot = this.resolve(target)
    if (slot !== undefined) slot.pausedUntil = Math.max(slot.pausedUntil, this.options.kernel.now + durationMs)
  }

  /** Cuts the targeted replica off from the control plane and the lease store for `durationMs`; it still reaches the cloud. */
  cutOffControlPlane(target: ReplicaTarget, durationMs: number): void {
    const slot = this.resolve(target)
    if (slot !== undefined) slot.outageUntil = Math.max(slot.outageUntil, this.options.kernel.now + durationMs)
  }

  /** Applies a replica fault at the current virtual time. */
  inject(fault: ReplicaFault): void {
    switch (fault.kind) {
      case "replicaCrash":
        return this.crash(fault.replica)
      case "replicaPause":
        return this.pause(fault.replica, fault.for)
      case "controlPlaneOutage":
        return this.cutOffControlPlane(fault.replica, fault.for)
    }
  }

  /** Returns the slot a target names: the replica holding the lease now (or last), or the slot with that index. */
  private resolve(target: ReplicaTarget): Slot | undefined {
    if (target !== "leader") return this.slots[target]
    const leader = this.leases.leaderAt(this.options.kernel.now) ?? this.leases.holder
    return this.slots.find((slot) => slot.id === leader) ?? this.slots[0]
  }

  private launch(slot: Slot): void {
    const { kernel, world, settings, sole, seed, shared, cloud } = this.options
    slot.generation++
    slot.id = slot.generation === 1 ? `replica-${slot.index}` : `replica-${slot.index}.${slot.generation}`
    slot.status = undefined
    slot.leftBootup = false
    const id = slot.id
    const now = () => kernel.now
    const reachable = () => kernel.now >= slot.outageUntil
    const services = Layer.mergeAll(
      simCloudProviderLayer(world, { replica: id, now, leases: sole ? undefined : this.leases, ...cloud }),
      simControlPlaneLayer(world, reachable),
      sole ? soleLeaderLayer : leaseElectionLayer(this.leases, id, settings.leaseTtl, now, reachable),
      shared
    )
    const clock = sole ? kernel.clock : makePausableClock(kernel, () => slot.pausedUntil)
    const program = (this.options.program ?? runReplica)(id, settings).pipe(
      Effect.provide(services),
      Effect.withClock(clock),
      Effect.withRandom(Random.make(`${seed}/controller/${id}`)),
      this.options.instrument
    )
    const fiber = Effect.runFork(program, { scheduler: kernel.scheduler })
    slot.fiber = fiber
    fiber.addObserver((exit) => {
      if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) this.defect ??= exit.cause
      if (slot.fiber !== fiber) return
      slot.fiber = undefined
      slot.failedBoots = slot.leftBootup ? 0 : slot.failedBoots + 1
      if (!this.stopping) kernel.after(replacementDelay(settings.replaceDelay, slot.failedBoots), () => this.launch(slot))
    })
  }

  /** Emits a status change the replica could not report itself, such as its own crash. */
  private record(slot: Slot, to: ReplicaStatus, reason: string): void {
    this.options.emit({ kind: "ReplicaStatusChanged", at: this.options.kernel.now, replica: slot.id, from: slot.status, to, reason, epoch: undefined })
    slot.status = to
  }

  /** Tracks the last status each replica reported, so a crash event names the status it left. */
  observe(event: PoolEvent): void {
    if (event.kind !== "ReplicaStatusChanged") return
    const slot = this.slots.find((candidate) => candidate.id === event.replica)
    if (slot === undefined) return
    slot.status = event.to
    if (event.to === "Active" || event.to === "Inactive") slot.leftBootup = true
  }
}
