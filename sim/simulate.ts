import { Cause, Effect, Exit, Fiber, Layer, Logger, LogLevel, Random } from "effect"
import { runController } from "../core/controller/loop.js"
import type { PoolEvent } from "../core/events.js"
import { EventSink, PoolConfig } from "../core/ports.js"
import type { PoolSettings } from "../core/settings.js"
import { Kernel } from "./kernel/kernel.js"
import { simCloudProviderLayer } from "./providers/cloud.js"
import { simControlPlaneLayer } from "./providers/controlPlane.js"
import { soleLeaderLayer } from "./providers/election.js"
import { makeStreams } from "./random.js"
import { defaultCloudModel, defaultRunnerModel, type CloudModel, type RunnerModel } from "./world/models.js"
import { World } from "./world/world.js"
import type { Workload } from "./workload/workload.js"

/** What a simulation run needs. Durations are in milliseconds. */
export interface SimulationOptions {
  readonly settings: PoolSettings
  readonly workload: Workload
  /** Virtual time at which the run stops. */
  readonly horizonMs: number
  /** Scenario seed; every random stream of the run derives from it. */
  readonly seed: number
  readonly cloud?: CloudModel
  readonly runners?: RunnerModel
  /** Receives every event as it happens, in time order. */
  readonly onEvent?: (event: PoolEvent) => void
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
 * Runs the pool controller against the simulated world until the horizon.
 * Deterministic: the same options give the same events, byte for byte.
 * Throws when the controller fiber fails or a fiber resumes outside virtual
 * time.
 */
export const simulate = (options: SimulationOptions): SimulationResult => {
  const kernel = new Kernel()
  const streams = makeStreams(options.seed)
  const events: Array<PoolEvent> = []
  let eventCount = 0
  const emit = (event: PoolEvent): void => {
    eventCount++
    if (options.collectEvents === true) events.push(event)
    options.onEvent?.(event)
  }
  const world = new World(
    kernel,
    options.workload,
    options.cloud ?? defaultCloudModel,
    options.runners ?? defaultRunnerModel,
    { cloud: streams.stream("cloud"), runners: streams.stream("runners") },
    emit
  )
  const config = { settings: options.settings }
  options.setup?.({ kernel, world, config })
  world.start()

  const services = Layer.mergeAll(
    simCloudProviderLayer(world),
    simControlPlaneLayer(world),
    soleLeaderLayer,
    Layer.succeed(EventSink, { emit: (event) => Effect.sync(() => emit(event)) }),
    Layer.succeed(PoolConfig, { current: Effect.sync(() => config.settings) })
  )
  const program = runController.pipe(
    Effect.provide(services),
    Effect.withClock(kernel.clock),
    Effect.withRandom(Random.make(`${options.seed}/controller`)),
    Effect.provide(virtualTimeLogger(kernel, options.onLog))
  )

  let fiber: Fiber.RuntimeFiber<never, unknown> | undefined
  kernel.step(() => {
    fiber = Effect.runFork(program, { scheduler: kernel.scheduler })
  })
  kernel.runUntil(options.horizonMs, options.onProgress)
  const exit = fiber!.unsafePoll()
  if (exit !== null && Exit.isFailure(exit)) {
    throw new Error(`the pool controller stopped: ${Cause.pretty(exit.cause)}`)
  }
  kernel.step(() => {
    Effect.runFork(Fiber.interrupt(fiber!), { scheduler: kernel.scheduler })
  })

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
