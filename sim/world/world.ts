import type { PoolEvent } from "../../core/events.js"
import type { ControlPlaneSnapshot, Instance, RunFailureReason } from "../../core/model.js"
import type { ProvisionRequest } from "../../core/ports.js"
import { sampler, type Sampler } from "../distribution.js"
import type { ActiveFaults } from "../faults/active.js"
import { InstanceHistory } from "../faults/listHistory.js"
import type { HeapEntry } from "../kernel/heap.js"
import type { Kernel } from "../kernel/kernel.js"
import type { RandomStream } from "../random.js"
import type { Workload } from "../workload/workload.js"
import { SimAgent, SimInstance } from "./agent.js"
import type { CloudModel, RunnerModel } from "./models.js"
import { provisioningSampler, type ProvisioningDraw } from "./provisioning.js"
import { RunState, RunTable } from "./runs.js"

/**
 * Random streams the world draws from. The k-th instance created takes the
 * k-th draws of `provisioning` and the k-th terminate call takes the k-th
 * draw of `deletion`. So the k-th instance of every pool configuration with
 * the same seed gets the same provisioning delay, startup script duration
 * and boot outcome, however many instances the pool deletes in between.
 */
export interface WorldStreams {
  readonly provisioning: RandomStream
  readonly deletion: RandomStream
  readonly runners: RandomStream
}

/**
 * The simulated world as plain data on the kernel's heap: the run queue, the
 * runner agents and the cloud instances. Simulated providers read and change
 * it; every fact it changes is emitted as a `PoolEvent`.
 */
export class World {
  readonly runs: RunTable
  /** Instances by id, in creation order, until their deletion completes. */
  readonly instances = new Map<string, SimInstance>()
  /** Registered agents by runner id: the control plane's registry. */
  readonly registry = new Map<string, SimAgent>()
  /** Agents that are Idle and may acquire a run, in the order they became Idle. */
  private readonly idle = new Set<SimAgent>()
  private readonly byClientToken = new Map<string, SimInstance>()
  private dispatch: HeapEntry | undefined = undefined
  /** Virtual time of the state the last instance list showed. */
  private listedUpTo = -Infinity
  private nextInstance = 0
  private readonly drawProvisioning: (stream: RandomStream) => ProvisioningDraw
  private readonly deletionDelay: Sampler
  private activeFaults: ActiveFaults | undefined = undefined
  /** Instance changes, kept only while a list-lag fault may need them, so the history costs nothing otherwise. */
  private history: InstanceHistory | undefined = undefined

  constructor(
    private readonly kernel: Kernel,
    workload: Workload,
    cloud: CloudModel,
    private readonly runners: RunnerModel,
    private readonly streams: WorldStreams,
    private readonly emit: (event: PoolEvent) => void
  ) {
    this.runs = new RunTable(workload)
    this.drawProvisioning = provisioningSampler(cloud)
    this.deletionDelay = sampler(cloud.deletionDelay)
  }

  /** Schedules the workload's arrivals, one heap entry at a time. */
  start(): void {
    if (this.runs.count > 0) this.kernel.at(this.runs.workload.arrivals[0]!, () => this.arrive(0))
  }

  // --- runs and dispatch -------------------------------------------------

  /** Queues every run that arrives at this instant, so no observation catches part of a burst, then schedules the next arrival. */
  private arrive(first: number): void {
    const arrivals = this.runs.workload.arrivals
    const now = this.kernel.now
    let run = first
    for (; run < arrivals.length && arrivals[run] === arrivals[first]; run++) {
      this.runs.enqueue(run)
      this.emit({ kind: "RunQueued", at: now, runId: run })
    }
    if (run < arrivals.length) {
      const next = run
      this.kernel.at(arrivals[next]!, () => this.arrive(next))
    }
    this.scheduleDispatch()
  }

  /**
   * Arranges for the next queued run to be acquired by the Idle agent that
   * polls first. With a poll interval of 0 that happens at once; otherwise an
   * agent polls when it becomes Idle and every poll interval after that.
   */
  private scheduleDispatch(): void {
    if (this.dispatch !== undefined) {
      this.kernel.cancel(this.dispatch)
      this.dispatch = undefined
    }
    if (this.runs.queued === 0 || this.idle.size === 0) return
    const interval = this.runners.pollIntervalMs
    const now = this.kernel.now
    let first: SimAgent | undefined
    let firstPoll = Infinity
    for (const agent of this.idle) {
      const poll = interval <= 0 ? now : agent.statusSince + Math.ceil((now - agent.statusSince) / interval) * interval
      if (poll < firstPoll) {
        first = agent
        firstPoll = poll
        if (poll === now) break
      }
    }
    const agent = first!
    if (firstPoll === now) this.acquire(agent)
    else this.dispatch = this.kernel.at(firstPoll, () => {
      this.dispatch = undefined
      this.acquire(agent)
    })
  }

  private acquire(agent: SimAgent): void {
    const now = this.kernel.now
    const run = this.runs.start()
    const workload = this.runs.workload
    this.idle.delete(agent)
    agent.status = "Running"
    agent.statusSince = now
    agent.currentRun = { runId: run, startedAt: now }
    // A hanging run gets no completion step: only a failure or the runner's removal ends it.
    const hangs = this.activeFaults?.runHangs(now) === true
    agent.completion = hangs ? undefined : this.kernel.after(workload.durations[run]!, () => this.complete(agent, run))
    this.emit({ kind: "RunAcquired", at: now, runId: run, runnerId: agent.runnerId, waitMs: now - workload.arrivals[run]! })
    this.emit({ kind: "RunnerStatusChanged", at: now, runnerId: agent.runnerId, from: "Idle", to: "Running", reason: "acquired" })
    this.scheduleDispatch()
  }

  private complete(agent: SimAgent, run: number): void {
    this.runs.finish(run, RunState.Completed)
    this.emit({ kind: "RunCompleted", at: this.kernel.now, runId: run, runnerId: agent.runnerId })
    this.becomeIdle(agent)
  }

  /** Ends an agent's run: it reports Idle and polls again, unless it is Tainted. */
  private becomeIdle(agent: SimAgent): void {
    agent.completion = undefined
    agent.currentRun = undefined
    agent.status = "Idle"
    agent.statusSince = this.kernel.now
    if (agent.tainted) return
    this.emit({ kind: "RunnerStatusChanged", at: this.kernel.now, runnerId: agent.runnerId, from: "Running", to: "Idle", reason: "runFinished" })
    if (agent.canAcquire) {
      this.idle.add(agent)
      this.scheduleDispatch()
    }
  }

  /** Stops an agent's current run, if any, and fails it. */
  private abortRun(agent: SimAgent, reason: RunFailureReason): void {
    const run = agent.currentRun
    if (run === undefined) return
    if (agent.completion !== undefined) this.kernel.cancel(agent.completion)
    this.runs.finish(run.runId, RunState.Failed)
    this.emit({ kind: "RunFailed", at: this.kernel.now, runId: run.runId, runnerId: agent.runnerId, reason })
    agent.completion = undefined
    agent.currentRun = undefined
  }

  // --- cloud ---------------------------------------------------------------

  /** Creates an instance, or returns the one already created with the same client token. */
  provision(request: ProvisionRequest): Instance {
    const existing = this.byClientToken.get(request.clientToken)
    if (existing !== undefined) return existing
    const now = this.kernel.now
    const id = `runner-${String(++this.nextInstance).padStart(6, "0")}`
    const instance = new SimInstance(id, request.clientToken, now, request.agentVersion)
    this.instances.set(id, instance)
    this.byClientToken.set(request.clientToken, instance)
    // Every instance takes its provisioning draws whether or not a fault overrides them,
    // so a fault leaves the draws of later instances unchanged.
    const draw = this.drawProvisioning(this.streams.provisioning)
    const faults = this.activeFaults
    const delay = faults?.provisioningDelay(now) ?? draw.provisioningDelayMs
    // Evaluated even when the draw already fails the boot, because a fault's draw consumes the faults stream.
    const bootFailsByFault = faults?.bootFails(now) === true
    const bootFails = draw.bootFails || bootFailsByFault
    instance.pending = this.kernel.after(delay + draw.startupScriptMs, () => this.boot(instance, bootFails))
    this.history?.noteChange(instance, now)
    return instance
  }

  private boot(instance: SimInstance, fails: boolean): void {
    instance.pending = undefined
    const now = this.kernel.now
    if (fails) {
      instance.state = "failed"
      instance.healthy = false
      this.history?.noteChange(instance, now)
      return
    }
    instance.state = "running"
    this.history?.noteChange(instance, now)
    const agent = new SimAgent(instance, now, this.runners.heartbeatIntervalMs, this.kernel)
    agent.tainted = instance.taintedEarly
    instance.agent = agent
    this.registry.set(instance.id, agent)
    if (agent.tainted) return
    this.emit({ kind: "RunnerStatusChanged", at: now, runnerId: instance.id, from: "Provisioning", to: "Idle", reason: "registered" })
    this.idle.add(agent)
    this.scheduleDispatch()
  }

  /** Starts deleting an instance; its agent, if any, stops and its run fails. */
  terminate(instanceId: string): void {
    const instance = this.instances.get(instanceId)
    if (instance === undefined || instance.state === "terminating") return
    if (instance.pending !== undefined) this.kernel.cancel(instance.pending)
    if (instance.agent !== undefined) this.deregister(instanceId)
    instance.state = "terminating"
    this.history?.noteChange(instance, this.kernel.now)
    instance.pending = this.kernel.after(this.deletionDelay(this.streams.deletion), () => {
      this.instances.delete(instanceId)
      this.history?.noteDeleted(instanceId, this.kernel.now)
      this.emit({ kind: "InstanceDeleted", at: this.kernel.now, runnerId: instanceId })
    })
  }

  /**
   * Returns every instance of the pool, terminating ones included, in
   * creation order. While a list-lag fault is active, it returns the list of
   * `lag` milliseconds ago instead, rebuilt as copies of the instances of
   * that time.
   */
  listInstances(): ReadonlyArray<Instance> {
    const now = this.kernel.now
    const lag = this.activeFaults?.listLagMs(now) ?? 0
    if (lag > 0 && this.history !== undefined) {
      // A lagging list shows an older state but never goes back in time: a
      // cache that falls behind stops advancing, it does not replay the past.
      // Going back would show instances the controller saw deleted as alive.
      this.listedUpTo = Math.max(this.listedUpTo, now - lag)
      return this.history.listAt(this.listedUpTo, now)
    }
    this.listedUpTo = now
    return Array.from(this.instances.values())
  }

  // --- control plane -------------------------------------------------------

  snapshot(): ControlPlaneSnapshot {
    const oldest = this.runs.peek()
    return {
      queueDepth: this.runs.queued,
      oldestWaitMs: oldest < 0 ? 0 : this.kernel.now - this.runs.workload.arrivals[oldest]!,
      runners: this.registry,
      queuedTotal: this.runs.enqueued
    }
  }

  /** Marks a runner so it acquires no new run, whether or not its agent registered yet. */
  taint(runnerId: string): void {
    const instance = this.instances.get(runnerId)
    if (instance === undefined) return
    instance.taintedEarly = true
    const agent = instance.agent
    if (agent === undefined || agent.tainted) return
    agent.tainted = true
    if (this.idle.delete(agent)) this.scheduleDispatch()
  }

  /**
   * Fails a running run; the agent executing it stops it and reports Idle.
   * A run that is not running (queued, or already ended) is left as it is.
   */
  failRun(runId: number, reason: RunFailureReason): void {
    for (const agent of this.registry.values()) {
      if (agent.currentRun?.runId === runId) {
        this.abortRun(agent, reason)
        this.becomeIdle(agent)
        return
      }
    }
  }

  /** Removes a runner from the registry; a run it executes fails. */
  deregister(runnerId: string): void {
    const agent = this.registry.get(runnerId)
    if (agent === undefined) return
    this.abortRun(agent, "runnerRemoved")
    this.registry.delete(runnerId)
    agent.instance.agent = undefined
    if (this.idle.delete(agent)) this.scheduleDispatch()
  }

  // --- faults --------------------------------------------------------------

  /** Stops the runner's agent communicating from now on, so it also stops acquiring runs. */
  loseHeartbeat(runnerId: string): void {
    const agent = this.registry.get(runnerId)
    if (agent === undefined || agent.heartbeatLostAt !== Infinity) return
    agent.heartbeatLostAt = this.kernel.now
    // A silent agent cannot report the end of its run either, so the control
    // plane reports the run as running until the runner is removed.
    if (agent.completion !== undefined) {
      this.kernel.cancel(agent.completion)
      agent.completion = undefined
    }
    if (this.idle.delete(agent)) this.scheduleDispatch()
  }

  /** Makes the provider report the instance unhealthy from now on. */
  markUnhealthy(runnerId: string): void {
    const instance = this.instances.get(runnerId)
    if (instance === undefined) return
    instance.healthy = false
    this.history?.noteChange(instance, this.kernel.now)
  }

  /** The faults the world consults, if `useFaults` installed any. */
  get faults(): ActiveFaults | undefined {
    return this.activeFaults
  }

  /**
   * Makes the world consult `faults` from now on: for the provisioning delay
   * and boot failures of new instances, for runs that hang when acquired,
   * and for the age of the instance list. Schedules the spans in which the
   * world keeps instance history for list lag. Call it once, before
   * `start`. A second call throws, since it would schedule the spans twice.
   */
  useFaults(faults: ActiveFaults): void {
    if (this.activeFaults !== undefined) throw new Error("World.useFaults was called twice: install all faults with one call")
    this.activeFaults = faults
    for (const span of faults.listHistorySpans) {
      const startHistory = () => {
        this.history = new InstanceHistory(this.instances.values(), span.maxLagMs)
      }
      if (span.from <= this.kernel.now) startHistory()
      else this.kernel.at(span.from, startHistory)
      this.kernel.at(span.until, () => {
        this.history = undefined
      })
    }
  }
}
