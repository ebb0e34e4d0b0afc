import { createHash } from "node:crypto"
import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { Option, Schema } from "effect"
import { parse as parseYaml } from "yaml"
import { summaryMetric } from "../../reports/sweep/results.js"
import type { Summary } from "../../reports/summary.js"
import { SUMMARY_PATHS } from "../../sim/scenario/summaryPaths.js"
import { InputError } from "../../sim/scenario/inputError.js"
import type { JobOutcome, SimulationJob } from "../jobs/job.js"
import { VERSION } from "../version.js"
import type { SweepPlan } from "./plan.js"
import { formatValue } from "../../core/formatValue.js"

/** Name of the journal in the sweep's output folder. */
export const JOURNAL_FILE = "runs.jsonl"

/**
 * The journal of a sweep: `runs.jsonl` in the output folder, one JSON line
 * per finished run, appended as each run ends, so that `sweep --resume`
 * reruns only what an interrupted sweep had not finished.
 *
 * Its first line fingerprints what decides a run's result besides its
 * `--set` assignments and seed: the runner-pool version and the bytes of
 * the scenario file and of its trace files. A resumed sweep reuses a
 * recorded run only when the fingerprint matches and the run's assignments
 * and seed are those of a planned job. So a sweep extended with more seeds
 * or grid values reuses the runs it shares with the old one.
 */
export interface SweepJournal {
  readonly path: string
  /** Outcomes read back from the journal, by job index. Empty without `--resume`. */
  readonly reused: ReadonlyMap<number, JobOutcome>
  /** Lines of the journal that could not be read back, such as a line cut short when the sweep was killed. */
  readonly unreadableLines: number
  /** Appends a finished run. Only runs that ran are recorded, so a failed run runs again on resume. */
  readonly record: (job: SimulationJob, outcome: JobOutcome) => void
  /**
   * Returns an `InputError` when the scenario file or a trace file differs
   * from its fingerprint in the journal, which means it changed during the
   * sweep. A run that ends after such a change may have read either version.
   */
  readonly changedInputs: () => InputError | undefined
}

const Header = Schema.Struct({ journal: Schema.Literal("runner-pool sweep"), version: Schema.String, fingerprint: Schema.String })

const Entry = Schema.Struct({
  sets: Schema.Array(Schema.String),
  seed: Schema.Number,
  // Checked by `isSummary`, for the paths that a sweep reads.
  summary: Schema.Unknown,
  wallSeconds: Schema.Number
})

const decodeHeader = Schema.decodeUnknownOption(Schema.parseJson(Header))
const decodeEntry = Schema.decodeUnknownOption(Schema.parseJson(Entry))

/**
 * Key of a run in the journal: its sorted assignments and its seed. Each
 * value is keyed by what YAML reads from it, so `2` and `2.0` are one run.
 * The sorting makes the order of `--grid` options irrelevant.
 */
const runKey = (sets: ReadonlyArray<string>, seed: number): string => JSON.stringify([sets.map(assignmentKey).sort(), seed])

/** Returns `path=` and the `formatValue` of the value YAML reads, or the assignment as written when its value is not valid YAML. */
const assignmentKey = (assignment: string): string => {
  const equals = assignment.indexOf("=")
  if (equals < 0) return assignment
  try {
    return `${assignment.slice(0, equals)}=${formatValue(parseYaml(assignment.slice(equals + 1), { logLevel: "error" }))}`
  } catch {
    return assignment
  }
}

/**
 * Opens the journal of `plan` in `outDir`. Without `resume`, it starts a new
 * journal, replacing any old one. With `resume`, it reads the old journal
 * back and keeps appending to it, or starts a new one when there is none
 * or it is empty. Throws `InputError` when the journal's path is a folder
 * or the old journal belongs to another scenario file, trace file or
 * runner-pool version, and the Node.js error when the journal cannot be
 * read or written.
 */
export const openSweepJournal = (plan: SweepPlan, outDir: string, resume: boolean): SweepJournal => {
  const path = join(outDir, JOURNAL_FILE)
  const opened = fingerprint(plan)
  const header = JSON.stringify({ journal: "runner-pool sweep", version: VERSION, fingerprint: opened })
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw new InputError({ message: `${path} is a folder, but the sweep keeps its journal of runs there; rename it or choose another folder with --out` })
  }
  const previous = resume ? readJournal(path) : undefined
  if (previous === undefined) {
    try {
      writeFileSync(path, `${header}\n`)
    } catch (error) {
      // A failed write (ENOSPC, EFBIG) names no path by itself.
      if (error instanceof Error) (error as NodeJS.ErrnoException).path = path
      throw error
    }
  } else {
    const recorded = decodeHeader(previous[0] ?? "")
    if (Option.isNone(recorded) || JSON.stringify(recorded.value) !== header) {
      const problem = Option.isNone(recorded) ? "is not a sweep journal" : "was written for another scenario file, trace file or runner-pool version"
      throw new InputError({ message: `--resume: ${path} ${problem}; run the sweep without --resume to start over` })
    }
    // A sweep killed while writing leaves a line without its line break, and the next record must not join it.
    if (previous.at(-1) !== "") appendFileSync(path, "\n")
  }

  const jobsByKey = new Map(plan.jobs.map((job) => [runKey(job.sets ?? [], job.seed), job]))
  const reused = new Map<number, JobOutcome>()
  let unreadableLines = 0
  for (const line of previous?.slice(1) ?? []) {
    if (line === "") continue
    const entry = decodeEntry(line)
    if (Option.isNone(entry) || !isSummary(entry.value.summary)) {
      unreadableLines += 1
      continue
    }
    const job = jobsByKey.get(runKey(entry.value.sets, entry.value.seed))
    if (job === undefined) continue
    reused.set(job.index, { kind: "ran", summary: entry.value.summary, expectationFailures: [], wallSeconds: entry.value.wallSeconds })
  }

  let appendFailure: string | undefined
  let recorded = 0
  const record = (job: SimulationJob, outcome: JobOutcome): void => {
    if (outcome.kind !== "ran" || appendFailure !== undefined) return
    const entry = { sets: job.sets ?? [], seed: job.seed, summary: outcome.summary, wallSeconds: outcome.wallSeconds }
    try {
      appendFileSync(path, `${JSON.stringify(entry)}\n`)
      recorded += 1
    } catch (error) {
      appendFailure = error instanceof Error ? error.message : String(error)
      process.stderr.write(`warning: cannot append to ${path} (${appendFailure}); the sweep goes on, but --resume cannot reuse its later runs\n`)
    }
  }
  const changedInputs = (): InputError | undefined => {
    if (currentFingerprint(plan) === opened) return undefined
    const keptRuns = reused.size + recorded
    return new InputError({
      message:
        `${plan.file} or a trace file it reads changed while the sweep ran, so the sweep stopped. ` +
        `${path} keeps the ${keptRuns} run${keptRuns === 1 ? "" : "s"} that ended before the change. ` +
        "Restore the file and add --resume to continue, or run the sweep without --resume to start over"
    })
  }
  return { path, reused, unreadableLines, record, changedInputs }
}

/** Checks that `value` has what a sweep aggregates: a number or list at every summary path, and numeric skipped-row counts. */
const isSummary = (value: unknown): value is Summary => {
  if (typeof value !== "object" || value === null) return false
  try {
    for (const path of SUMMARY_PATHS) summaryMetric(value as Summary, path)
    const skipped: unknown = (value as Summary).runs.skippedTraceRows
    return typeof skipped === "object" && skipped !== null && Object.values(skipped).every((count) => typeof count === "number")
  } catch {
    return false
  }
}

/** Reads the journal at `path` as lines. Returns undefined when it does not exist or is empty. */
const readJournal = (path: string): ReadonlyArray<string> | undefined => {
  try {
    const text = readFileSync(path, "utf8")
    return text === "" ? undefined : text.split("\n")
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw error
  }
}

/** Returns the fingerprint of the files as they are now, or undefined when one cannot be read any more, such as a deleted trace file. */
const currentFingerprint = (plan: SweepPlan): string | undefined => {
  try {
    return fingerprint(plan)
  } catch {
    return undefined
  }
}

/**
 * Hashes with SHA-256 the runner-pool version, the scenario file and every
 * trace file the scenario reads (or the `--trace` file that replaces them). A
 * trace path that a `--grid` assignment changes is not covered.
 */
const fingerprint = (plan: SweepPlan): string => {
  const hash = createHash("sha256")
  const add = (label: string, content: string | Buffer): void => {
    hash.update(`${label} ${content.length}\n`)
    hash.update(content)
  }
  add("version", VERSION)
  add("scenario", readFileSync(plan.file))
  plan.scenario.workload.forEach((source, position) => {
    if (source.kind !== "trace") return
    const trace = plan.traceOverride === undefined ? resolve(dirname(plan.file), source.path) : resolve(plan.traceOverride)
    add(`trace of source ${position}`, readFileSync(trace))
  })
  return hash.digest("hex")
}
