/**
 * Deliberately broken replica programs and providers, each of which breaks
 * one pool invariant, so the tests can show that the monitor notices.
 */
import { Effect, Layer } from "effect"
import { runReplica } from "../../../core/controller/replica.js"
import { CloudProvider, ControlPlane, EventSink, LeaderElection, PoolConfig } from "../../../core/ports.js"
import type { ReplicaSettings } from "../../../core/replicaSettings.js"
import type { LeaseStore } from "../../../sim/replicas/leaseStore.js"
import type { ReplicaProgram } from "../../../sim/replicas/supervisor.js"

/** What a broken action did, for the test's assertions. */
export interface BrokenAction {
  at: number | undefined
  runnerIds: Array<string>
  runIds: Array<number>
}

export const noAction = (): BrokenAction => ({ at: undefined, runnerIds: [], runIds: [] })

type Services = CloudProvider | ControlPlane | EventSink | PoolConfig

/** The real replica, plus `action` run once at `atMs` virtual milliseconds after the replica starts, in the same process. */
const realReplicaPlus =
  (atMs: number, action: Effect.Effect<void, unknown, Services>): ReplicaProgram =>
  (replica, settings) =>
    Effect.all([runReplica(replica, settings), Effect.sleep(atMs).pipe(Effect.zipRight(action))], { concurrency: "unbounded" })

/**
 * At `atMs`, takes the first Running runner, marks it Tainted for
 * scale-down, deregisters it and deletes its instance: scale-down of a busy
 * runner, which fails its run.
 */
export const scaleDownBusyRunner = (atMs: number, done: BrokenAction): ReplicaProgram =>
  realReplicaPlus(
    atMs,
    Effect.gen(function* () {
      const controlPlane = yield* ControlPlane
      const cloud = yield* CloudProvider
      const sink = yield* EventSink
      const snapshot = yield* controlPlane.snapshot
      const busy = [...snapshot.runners.values()].find((runner) => runner.status === "Running")
      if (busy === undefined) return
      done.at = atMs
      done.runnerIds.push(busy.runnerId)
      done.runIds.push(busy.currentRun!.runId)
      yield* controlPlane.taintRunner(busy.runnerId, "scaleDown")
      yield* sink.emit({ kind: "RunnerStatusChanged", at: atMs, runnerId: busy.runnerId, from: "Running", to: "Tainted", reason: "scaleDown" })
      yield* controlPlane.deregister(busy.runnerId)
      yield* cloud.terminate(busy.runnerId, 1)
      yield* sink.emit({ kind: "RunnerRemoved", at: atMs, runnerId: busy.runnerId, from: "Running", reason: "scaleDown" })
    })
  )

/** At `atMs`, marks the first instance that has not registered Tainted for scale-down. */
export const scaleDownProvisioningRunner = (atMs: number, done: BrokenAction): ReplicaProgram =>
  realReplicaPlus(
    atMs,
    Effect.gen(function* () {
      const controlPlane = yield* ControlPlane
      const sink = yield* EventSink
      const snapshot = yield* controlPlane.snapshot
      const instances = yield* (yield* CloudProvider).list
      const provisioning = instances.find((instance) => instance.state === "pending" && !snapshot.runners.has(instance.id))
      if (provisioning === undefined) return
      done.at = atMs
      done.runnerIds.push(provisioning.id)
      yield* controlPlane.taintRunner(provisioning.id, "scaleDown")
      yield* sink.emit({ kind: "RunnerStatusChanged", at: atMs, runnerId: provisioning.id, from: "Provisioning", to: "Tainted", reason: "scaleDown" })
    })
  )

/**
 * At `atMs`, reports the first Idle runner Tainted without telling the
 * control plane, so the runner still acquires runs.
 */
export const taintOnlyInEvents = (atMs: number, done: BrokenAction): ReplicaProgram =>
  realReplicaPlus(
    atMs,
    Effect.gen(function* () {
      const snapshot = yield* (yield* ControlPlane).snapshot
      const idle = [...snapshot.runners.values()].find((runner) => runner.status === "Idle" && !runner.tainted)
      if (idle === undefined) return
      done.at = atMs
      done.runnerIds.push(idle.runnerId)
      yield* (yield* EventSink).emit({ kind: "RunnerStatusChanged", at: atMs, runnerId: idle.runnerId, from: "Idle", to: "Tainted", reason: "idleTimeout" })
    })
  )

/** At `atMs`, provisions `count` instances through the cloud port whatever the pool size, and reports each as created. */
export const provisionPastMaximum = (atMs: number, count: number, done: BrokenAction): ReplicaProgram =>
  realReplicaPlus(
    atMs,
    Effect.gen(function* () {
      const cloud = yield* CloudProvider
      const sink = yield* EventSink
      done.at = atMs
      for (let i = 0; i < count; i++) {
        const instance = yield* cloud.provision({ clientToken: `rogue-${i}`, agentVersion: "1.0.0", epoch: 1 })
        done.runnerIds.push(instance.id)
        yield* sink.emit({ kind: "RunnerStatusChanged", at: atMs, runnerId: instance.id, from: undefined, to: "Provisioning", reason: "provisioned" })
      }
    })
  )

/** The real replica, but it reads the create timeout as off, so it never removes a runner that fails to register. */
export const ignoreCreateTimeout: ReplicaProgram = (replica, settings) =>
  Effect.gen(function* () {
    const config = yield* PoolConfig
    const blind = Layer.succeed(PoolConfig, { current: Effect.map(config.current, (current) => ({ ...current, createTimeout: Infinity })) })
    return yield* runReplica(replica, settings).pipe(Effect.provide(blind))
  })

/** A lease election that grants every replica the same never-expiring lease in epoch 1. */
export const sharedEternalLease: Layer.Layer<LeaderElection> = Layer.succeed(LeaderElection, {
  acquireOrRenew: Effect.succeed({ epoch: 1, expiresAt: Infinity })
})

/**
 * Replicas that all believe they hold the lease, in one shared epoch. Each
 * starts `staggerMs` after the previous slot's, so their reconcile passes
 * fall at different instants and each of them acts.
 */
export const sharedEpochReplicas =
  (staggerMs: number): ReplicaProgram =>
  (replica, settings) => {
    const slot = Number(/^replica-(\d+)/.exec(replica)![1])
    return Effect.sleep(slot * staggerMs).pipe(Effect.zipRight(runReplica(replica, settings)), Effect.provide(sharedEternalLease))
  }

/**
 * Replicas that take the lease from the real lease store but treat it as
 * never expiring: the first leader never renews and keeps acting after a
 * follower took over in a newer epoch. `store` returns the simulation's
 * lease store, which the test captures in `setup`.
 */
export const leaseIgnoringReplicas =
  (store: () => LeaseStore, now: () => number): ReplicaProgram =>
  (replica: string, settings: ReplicaSettings) => {
    const election = Layer.succeed(LeaderElection, {
      acquireOrRenew: Effect.sync(() => {
        const lease = store().acquireOrRenew(replica, now(), settings.leaseTtl)
        return lease === undefined ? undefined : { epoch: lease.epoch, expiresAt: Infinity }
      })
    })
    return runReplica(replica, settings).pipe(Effect.provide(election))
  }
