import { resolve } from "node:path"
import { Effect, Fiber } from "effect"
import { runScenario } from "../cli/runScenario.js"
import { EventHeap } from "../sim/kernel/heap.js"
import { Kernel } from "../sim/kernel/kernel.js"
import { makeStream } from "../sim/random.js"
import { loadScenario } from "../sim/scenario/load.js"
import { generateWorkload } from "../sim/workload/generate.js"
import { runFloorModel } from "./floorModel.js"

/** One measurement: wall time of the measured part, and what it did. */
export interface Measurement {
  readonly wallSeconds: number
  /** Units of work done (wake-ups, events), for a rate. */
  readonly work: number
  readonly detail: Record<string, number>
}

const DAY_MS = 86_400_000

/** 100 fibers sleeping 10 s each in virtual time for one simulated day: Effect wake-ups through the kernel. */
const kernelWakeUps = (): Measurement => {
  const kernel = new Kernel()
  let wakeUps = 0
  const sleeper = Effect.gen(function* () {
    while (true) {
      yield* Effect.sleep(10_000)
      wakeUps++
    }
  })
  const program = Effect.forEach(Array.from({ length: 100 }), () => Effect.fork(sleeper), { discard: true }).pipe(
    Effect.zipRight(Effect.never),
    Effect.withClock(kernel.clock)
  )
  let fiber: Fiber.RuntimeFiber<never, never> | undefined
  kernel.step(() => {
    fiber = Effect.runFork(program, { scheduler: kernel.scheduler })
  })
  const started = performance.now()
  kernel.runUntil(DAY_MS)
  const wallSeconds = (performance.now() - started) / 1000
  kernel.step(() => {
    Effect.runFork(Fiber.interrupt(fiber!), { scheduler: kernel.scheduler })
  })
  return { wallSeconds, work: wakeUps, detail: { wakeUps } }
}

/** The same 100 sleepers as plain heap entries with no Effect: the floor for a wake-up. */
const heapWakeUps = (): Measurement => {
  const heap = new EventHeap()
  let wakeUps = 0
  const wake = (time: number): void => {
    wakeUps++
    heap.push(time + 10_000, () => wake(time + 10_000))
  }
  for (let i = 0; i < 100; i++) heap.push(10_000, () => wake(10_000))
  const started = performance.now()
  while (heap.size > 0 && heap.peek()!.time < DAY_MS) heap.pop()!.action()
  return { wallSeconds: (performance.now() - started) / 1000, work: wakeUps, detail: { wakeUps } }
}

const scenarioPath = (name: string): string => resolve("scenarios", `${name}.yaml`)

/** A bundled scenario through the whole pipeline: workload, controller, simulator, metrics and summary. */
const fullScenario = (name: string) => (): Measurement => {
  const scenario = loadScenario(scenarioPath(name))
  const started = performance.now()
  const run = runScenario(scenario, { scenarioFile: scenarioPath(name) })
  const wallSeconds = (performance.now() - started) / 1000
  return {
    wallSeconds,
    work: run.summary.engine.events,
    detail: { runs: run.summary.runs.arrived, events: run.summary.engine.events, peakRunners: run.summary.runners.peak }
  }
}

/** The floor model on the same scenario's workload, with a fixed pool of the scenario's maximum size. */
const floorOfScenario = (name: string) => (): Measurement => {
  const scenario = loadScenario(scenarioPath(name))
  const started = performance.now()
  const workload = generateWorkload(scenario.workload, {
    horizonMs: scenario.horizon,
    random: makeStream(scenario.seed, "workload"),
    baseDir: resolve("scenarios")
  })
  const result = runFloorModel(workload, scenario.pool.maxPoolSize, scenario.horizon)
  const wallSeconds = (performance.now() - started) / 1000
  return { wallSeconds, work: result.events, detail: { runs: workload.arrivals.length, events: result.events } }
}

/** Every benchmark case by name. */
export const CASES: Record<string, () => Measurement> = {
  "kernel-wakeups": kernelWakeUps,
  "heap-wakeups": heapWakeUps,
  "borg-week": fullScenario("borg-week"),
  "borg-week-floor": floorOfScenario("borg-week")
}
