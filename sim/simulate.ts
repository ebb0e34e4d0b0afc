import { Cause, Effect, Layer, Logger, LogLevel } from "effect"
import type { PoolEvent } from "../core/events.js"
import { EventSink, PoolConfig } from "../core/ports.js"
import { defaultReplicaSettings, type ReplicaSettings } from "../core/replicaSettings.js"
import type { PoolSettings } from "../core/settings.js"
import { installFaults, type InstalledFaults } from "./faults/inject.js"
import { isReplicaFault, type Fault } from "./faults/schema.js"
import { Kernel } from "./kernel/kernel.js"
import type { SimCloudOptions } from "./providers/cloud.js"
import { makeStreams } from "./random.js"
import { ReplicaSupervisor, type ReplicaProgram } from "./replicas/supervisor.js"
import { defaultCloudModel, defaultRunnerModel, type CloudModel, type RunnerModel } from "./world/models.js"
import { World } from "./world/world.js"
import type { Workload } from "./workload/workload.js"

/** Inputs of a simulation run. Durations are in milliseconds. */
export interface SimulationOptions {
  readonly settings: PoolSettings
  readonly workload: Workload
  /** Virtual time at which the run stops. */
  readonly horizonMs: number
  /** Scenario seed; every random stream of the run derives from it. */
  readonly seed: number
  readonly cloud?: CloudModel
  readonly runners?: RunnerModel
  /** Pool replicas; one, which always holds the lease, unless given. */
  readonly replicas?: ReplicaSettings
  /**
   * Run the replicas with a real lease (renewals, expiry, fencing) even when
   * there is one. Implied by a count above one and by any replica fault.
   */
  readonly leaseElection?: boolean
  /** Faults to inject; they draw from the `faults` random stream. */
  readonly faults?: ReadonlyArray<Fault>
  /** The program every replica runs; the real controller unless a test supplies a deliberately broken variant. */
  readonly replicaProgram?: ReplicaProgram
  /** Receives every event as it happens, in time order. */
  readonly onEvent?: (event: PoolEvent) => void
  /** Receives every provision and terminate call the cloud gets, and injects failures into cloud calls. */
  readonly cloudCalls?: Pick<SimCloudOptions, "onCall" | "failure">
  /** Keep every event in `SimulationResult.events`; off by default, since a long run emits millions. */
  readonly collectEvents?: boolean
  /** Called with the virtual time every few tens of thousands of steps. */
  readonly onProgress?: (virtualMs: number) => void
  /** Receives the controller's log lines, stamped with virtual time; logs are dropped without it. */
  readonly onLog?: (line: string) => void
  /** Runs before the simulation starts, to seed the pool or schedule faults. */
  readonly setup?: (simulation: SimulationHandle) => void
}

/** Access to a running simulation, for tests and fault injection. */
export interface SimulationHandle {
  readonly kernel: Kernel
  readonly world: World
  readonly replicas: ReplicaSupervisor
  /** The pool settings in force; replace them to change a setting while the controller runs. */
  readonly config: { settings: PoolSettings }
}

export interface SimulationResult {
  /** Every event, when `collectEvents` was set; empty otherwise. */
  readonly events: ReadonlyArray<PoolEvent>
  readonly eventCount: number
  /** Heap entries the kernel ran. */
  readonly steps: number
  readonly queuedAtEnd: number
  readonly runningAtEnd: number
}

/**
 * Runs the pool's replicas against the simulated world until the horizon.
 * Deterministic: the same options give the same events, byte for byte.
 * Throws when a replica's program fails with a defect or a fiber resumes
 * outside virtual time.
 */
export const simulate = (options: SimulationOptions): SimulationResult => {
  const kernel = new Kernel()
  const streams = makeStreams(options.seed)
  const events: Array<PoolEvent> = []
  let eventCount = 0
  const emit = (event: PoolEvent): void => {
    eventCount++
    if (options.collectEvents === true) events.push(event)
    replicas.observe(event)
    options.onEvent?.(event)
  }
  const world = new World(
    kernel,
    options.workload,
    options.cloud ?? defaultCloudModel,
    options.runners ?? defaultRunnerModel,
    { provisioning: streams.stream("provisioning"), deletion: streams.stream("deletion"), runners: streams.stream("runners") },
    emit
  )
  const config = { settings: options.settings }
  const replicaSettings = options.replicas ?? defaultReplicaSettings()
  const shared = Layer.mergeAll(
    Layer.succeed(EventSink, { emit: (event) => Effect.sync(() => emit(event)) }),
    Layer.succeed(PoolConfig, { current: Effect.sync(() => config.settings) })
  )
  const logger = virtualTimeLogger(kernel, options.onLog)
  const faults = options.faults ?? []
  let installed: InstalledFaults | undefined
  const injectedFailure = options.cloudCalls?.failure
  const replicas: ReplicaSupervisor = new ReplicaSupervisor({
    kernel,
    world,
    settings: replicaSettings,
    sole: replicaSettings.count === 1 && options.leaseElection !== true && !faults.some(isReplicaFault),
    seed: options.seed,
    shared,
    emit,
    cloud: {
      onCall: options.cloudCalls?.onCall,
      failure: (operation, now) => installed?.active.cloudCallFails(operation, now) ?? injectedFailure?.(operation, now)
    },
    program: options.replicaProgram,
    instrument: (program) => Effect.provide(program, logger)
  })
  if (faults.length > 0) {
    installed = installFaults({ kernel, world, config }, faults, streams.stream("faults"), {
      onReplicaFault: (fault) => replicas.inject(fault)
    })
  }
  options.setup?.({ kernel, world, replicas, config })
  world.start()

  kernel.step(() => replicas.start())
  kernel.runUntil(options.horizonMs, options.onProgress)
  kernel.step(() => replicas.stop())
  if (replicas.defect !== undefined) throw new Error(`a pool replica failed: ${Cause.pretty(replicas.defect)}`)

  return {
    events,
    eventCount,
    steps: kernel.steps,
    queuedAtEnd: world.runs.queued,
    runningAtEnd: world.runs.running
  }
}

/** Replaces the default logger, which stamps wall-clock time, with one that stamps virtual time. */
const virtualTimeLogger = (kernel: Kernel, onLog: ((line: string) => void) | undefined) => {
  if (onLog === undefined) return Logger.minimumLogLevel(LogLevel.None)
  const logger = Logger.make(({ logLevel, message, annotations }) => {
    const fields = [...annotations].map(([key, value]) => `${key}=${String(value)}`).join(" ")
    onLog(`t=${kernel.now}ms level=${logLevel.label} message=${JSON.stringify(message)} ${fields}`.trimEnd())
  })
  return Logger.replace(Logger.defaultLogger, logger)
}
