import type { RandomStream } from "../random.js"
import type { WorkloadSource } from "./schema.js"
import { generateBurst, generatePoisson } from "./synthetic.js"
import { loadTraceRuns } from "./trace.js"
import type { Workload } from "./workload.js"

/** Inputs of workload generation besides the sources. */
export interface GenerateOptions {
  /** Simulated time span in milliseconds. Runs arriving at or after it are dropped. */
  readonly horizonMs: number
  /** The scenario's "workload" stream. Sources draw from it one after another, in list order. */
  readonly random: RandomStream
  /** Folder that relative trace paths are resolved against, normally the scenario file's folder. */
  readonly baseDir: string
  /** Path read in place of every trace source's own, resolved against the working directory when relative. */
  readonly traceOverride?: string
}

/** Runs of one source before merging, in milliseconds. */
interface SourceRuns {
  readonly arrivals: ArrayLike<number>
  readonly durations: ArrayLike<number>
}

/**
 * Generates the runs of a scenario's workload section. Sources are
 * processed in list order and the synthetic ones draw from the one workload
 * stream, so the result depends only on the seed, the horizon and the
 * sources, never on pool or cloud settings. Runs are merged and sorted by
 * arrival; runs at the same time keep source order, then generation order.
 *
 * `skipped` has an entry, possibly 0, for every trace source.
 *
 * Throws WorkloadError when a trace cannot be read or parsed.
 */
export const generateWorkload = (sources: ReadonlyArray<WorkloadSource>, options: GenerateOptions): Workload => {
  const parts: SourceRuns[] = []
  const skipped: Record<string, number> = {}

  for (const source of sources) {
    switch (source.kind) {
      case "poisson":
        parts.push(generatePoisson(source, options.horizonMs, options.random))
        break
      case "burst":
        parts.push(generateBurst(source, options.horizonMs, options.random))
        break
      case "trace": {
        const runs = loadTraceRuns(source, options)
        parts.push(runs)
        skipped[source.name] = runs.skipped
        break
      }
    }
  }
  return mergeRuns(parts, skipped)
}

/** Concatenates the runs of all sources and sorts them stably by arrival, skipping the sort when already in order. */
const mergeRuns = (parts: ReadonlyArray<SourceRuns>, skipped: Readonly<Record<string, number>>): Workload => {
  const total = parts.reduce((sum, part) => sum + part.arrivals.length, 0)
  const arrivals = new Float64Array(total)
  const durations = new Float64Array(total)
  let offset = 0
  for (const part of parts) {
    arrivals.set(part.arrivals, offset)
    durations.set(part.durations, offset)
    offset += part.arrivals.length
  }

  let sorted = true
  for (let i = 1; i < total && sorted; i++) sorted = arrivals[i - 1]! <= arrivals[i]!
  if (sorted) return { arrivals, durations, skipped }

  const order = new Uint32Array(total)
  for (let i = 0; i < total; i++) order[i] = i
  order.sort((a, b) => arrivals[a]! - arrivals[b]! || a - b)
  return {
    arrivals: Float64Array.from(order, (i) => arrivals[i]!),
    durations: Float64Array.from(order, (i) => durations[i]!),
    skipped
  }
}
