import { Args, Command, Options } from "@effect/cli"
import { Data, Effect, Option } from "effect"
import { describeSettings, paretoTable } from "../reports/sweep/files.js"
import type { SweepResults } from "../reports/sweep/results.js"
import { InputError } from "../sim/scenario/inputError.js"
import { asInputError, asOutputError, requireAtLeast } from "./inputErrors.js"
import type { JobOutcome, SimulationJob } from "./jobs/job.js"
import { runJobs } from "./jobs/pool.js"
import { formatSlo, parseSlos, requireSloSources, SLO_FORM, sloFailures } from "./tune/slo.js"
import { JOURNAL_FILE, openSweepJournal, type SweepJournal } from "./sweep/journal.js"
import { collectSweepResults, defaultSweepOutDir, writeSweepOutputs } from "./sweep/output.js"
import { parseHeatmapAxes, planSweep } from "./sweep/plan.js"
import { makeSweepProgress } from "./sweep/progress.js"
import { prepareWritableDir } from "./output.js"

/**
 * `runner-pool sweep` finished, but a run crashed (exit code 1) or had
 * invalid input such as an unreadable trace (exit code 2). The failures are
 * printed and recorded in results.json.
 */
export class SweepFailed extends Data.TaggedError("SweepFailed")<{ readonly exitCode: 1 | 2 }> {}

/** Failed runs printed on standard error. Further failures are only counted there, and results.json lists them all. */
const PRINTED_FAILURES = 5

const scenarioArg = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("Scenario file (YAML) to sweep."))
const gridOption = Options.text("grid").pipe(
  Options.withPseudoName("PATH=VALUES"),
  Options.repeated,
  Options.withDescription(
    "Scenario path to sweep, as --set of simulate takes it, and its values: a comma list of YAML scalars (pool.queueDepthThreshold=1,2,5 or pool.idleTimeout=30s,1m) " +
      "or a range START..END/COUNT of COUNT evenly spaced numbers, both ends included (pool.scaleUpCooldownMs=60000..600000/4). " +
      "Repeatable. The sweep runs every combination, the first --grid varying slowest."
  )
)
const seedsOption = Options.integer("seeds").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(3),
  Options.withDescription("Run every configuration with the same N seeds: the scenario's seed S, then S+1 up to S+N-1. Default: 3.")
)
const jobsOption = Options.integer("jobs").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(1),
  Options.withDescription("Number of simulations run at once, each in its own worker thread. Default: 1, which runs them one after another on the main thread.")
)
const outOption = Options.text("out").pipe(
  Options.withPseudoName("DIR"),
  Options.optional,
  Options.withDescription(
    `Folder for results.json, results.csv, pareto.txt, the PNG charts and ${JOURNAL_FILE}, the journal of finished runs. Default: out/sweep-<scenario name>.`
  )
)
const resumeOption = Options.boolean("resume").pipe(
  Options.withDescription(
    `Reuse the runs that ${JOURNAL_FILE} in the output folder records, from an interrupted sweep or one with fewer seeds or grid values, and run only the others. ` +
      "Refused when the scenario file, a trace file or the runner-pool version changed since."
  )
)
const traceOption = Options.text("trace").pipe(
  Options.withPseudoName("FILE"),
  Options.optional,
  Options.withDescription("Trace file to replay instead of the path in every trace source (CSV or SWF, gzip allowed), relative to the working directory.")
)
const heatmapOption = Options.text("heatmap").pipe(
  Options.withPseudoName("PATH_X,PATH_Y"),
  Options.optional,
  Options.withDescription(
    "Swept paths on the x and y axes of the heatmaps (waitSeconds.p95 and cost.runnerHours). Default: the first two --grid paths. Without two swept paths no heatmap is drawn."
  )
)
const sloOption = Options.text("slo").pipe(
  Options.withPseudoName("EXPR"),
  Options.repeated,
  Options.withDescription(
    `Service level objective, as ${SLO_FORM}. Marks each configuration whose every seed meets every SLO (meetsSlo in results.json and results.csv) and prints the cheapest such configuration. Repeatable.`
  )
)

/**
 * `runner-pool sweep`: runs a scenario for every combination of grid
 * values and seeds, aggregates each configuration's summaries over the
 * seeds, and writes results.json, results.csv, pareto.txt, pareto.png and
 * heatmaps. Exits 0 when every run finished, 1 when one crashed, 2 on
 * invalid input.
 */
export const sweepCommand = Command.make(
  "sweep",
  {
    scenario: scenarioArg,
    grid: gridOption,
    seeds: seedsOption,
    jobs: jobsOption,
    out: outOption,
    resume: resumeOption,
    trace: traceOption,
    heatmap: heatmapOption,
    slo: sloOption
  },
  (options) =>
    Effect.gen(function* () {
      const started = performance.now()
      yield* requireAtLeast("--seeds", options.seeds, 1)
      yield* requireAtLeast("--jobs", options.jobs, 1)
      const slos = yield* asInputError(() => parseSlos(options.slo))
      const plan = yield* asInputError(() =>
        planSweep({ file: options.scenario, grid: options.grid, seedCount: options.seeds, traceOverride: Option.getOrUndefined(options.trace) })
      )
      yield* asInputError(() => requireSloSources(slos, plan.scenario, options.scenario))
      const heatmapText = Option.getOrUndefined(options.heatmap)
      let heatmapAxes: readonly [string, string] | undefined
      if (heatmapText !== undefined) heatmapAxes = yield* asInputError(() => parseHeatmapAxes(heatmapText, plan.axes))
      else if (plan.axes.length >= 2) heatmapAxes = [plan.axes[0]!.path, plan.axes[1]!.path]
      const outDir = Option.getOrElse(options.out, () => defaultSweepOutDir(plan.scenario.name))
      yield* asOutputError(outDir, () => prepareWritableDir(outDir))
      const journal = yield* asOutputError(outDir, () => openSweepJournal(plan, outDir, options.resume))
      if (options.resume) reportResume(journal, plan.jobs.length)

      // Only an InputError (a changed scenario or trace file) is expected. Anything else is a defect.
      const outcomes = yield* Effect.tryPromise({
        try: () => runSweepJobs(plan.jobs, journal, options.jobs),
        catch: (error) => {
          if (error instanceof InputError) return error
          throw error
        }
      })
      const slo =
        slos.length === 0 ? undefined : { conditions: slos.map(formatSlo), meets: (summary: object) => sloFailures(slos, summary).length === 0 }
      const results = collectSweepResults(plan, outcomes, slo)
      const written = yield* asOutputError(outDir, () => writeSweepOutputs(results, outDir, heatmapAxes))
      const wallSeconds = (performance.now() - started) / 1000

      process.stdout.write(paretoTable(results))
      const runs = plan.jobs.length
      const configurations = plan.configurations.length
      const counts = `${runs} run${runs === 1 ? "" : "s"} of ${configurations} configuration${configurations === 1 ? "" : "s"}`
      const reused = journal.reused.size === 0 ? "" : ` (${journal.reused.size} reused from ${JOURNAL_FILE})`
      process.stdout.write(`\n${counts}${reused} in ${wallSeconds.toFixed(1)} s; wrote ${written.join(", ")}\n`)
      const exitCode = printFailures(results)
      if (exitCode !== 0) return yield* new SweepFailed({ exitCode })
    })
).pipe(
  Command.withDescription(
    "Run a scenario for every combination of --grid values with the same seeds, and write per-configuration statistics over the seeds " +
      "(results.json, results.csv), the Pareto front of cost.runnerHours against waitSeconds.p95 (pareto.txt, pareto.png), heatmaps, and with --slo the cheapest configuration meeting every SLO. " +
      `Finished runs are journaled in ${JOURNAL_FILE} as they end, so --resume continues an interrupted sweep. ` +
      "Exit code 0 when every run finished, 1 when a run crashed, 2 on invalid input."
  )
)


/**
 * Runs the jobs that the journal does not hold yet, recording each in the
 * journal as it ends, and returns every job's outcome in the order of `jobs`.
 * Rejects with the journal's `InputError` when the scenario or a trace file
 * changes during the sweep, without recording the run that noticed it.
 * NOTE: a worker thread reads the files some time after its run starts (a
 * second for a new worker), so an edit made and undone in that time and
 * before the run ends goes unnoticed.
 */
const runSweepJobs = async (jobs: ReadonlyArray<SimulationJob>, journal: SweepJournal, parallel: number): Promise<ReadonlyArray<JobOutcome>> => {
  const pending = jobs.filter((job) => !journal.reused.has(job.index))
  const progress = makeSweepProgress(pending.length)
  const stop = new AbortController()
  // Checked as each run starts and ends, so that a run is recorded only when the files were unchanged at both times.
  const stopOnChangedInputs = (): boolean => {
    const changed = journal.changedInputs()
    if (changed !== undefined) stop.abort(changed)
    return changed !== undefined
  }
  let ran: ReadonlyArray<JobOutcome>
  try {
    ran = await runJobs(pending, {
      parallel,
      signal: stop.signal,
      onStart: (job) => {
        if (!stopOnChangedInputs()) progress.started(job)
      },
      onProgress: progress.progressed,
      onDone: (job, outcome) => {
        if (stopOnChangedInputs()) return
        journal.record(job, outcome)
        progress.finished(job)
      }
    })
  } finally {
    progress.clear()
  }
  const outcomes = new Map(pending.map((job, position) => [job.index, ran[position]!]))
  return jobs.map((job) => journal.reused.get(job.index) ?? outcomes.get(job.index)!)
}

/** Prints on standard error how many runs `--resume` reuses. */
const reportResume = (journal: SweepJournal, total: number): void => {
  const unreadable = journal.unreadableLines === 0 ? "" : `; ${journal.unreadableLines} unreadable line${journal.unreadableLines === 1 ? " was" : "s were"} ignored`
  process.stderr.write(`resume: ${journal.reused.size} of ${total} runs reused from ${journal.path}${unreadable}\n`)
}

/**
 * Prints the first failed runs on standard error and returns the exit code:
 * 2 when a run had invalid input, 1 when one crashed, 0 when none failed.
 */
const printFailures = (results: SweepResults): 0 | 1 | 2 => {
  const failures = results.configurations.flatMap((configuration) =>
    configuration.failures.map((failure) => ({ configuration, failure }))
  )
  for (const { configuration, failure } of failures.slice(0, PRINTED_FAILURES)) {
    const where = `configuration #${configuration.index} (${describeSettings(configuration)}) seed ${failure.seed}`
    const kind = failure.kind === "inputError" ? "invalid input" : "crashed"
    process.stderr.write(`error: ${where}: ${kind}: ${failure.message}\n`)
  }
  if (failures.length > PRINTED_FAILURES) {
    process.stderr.write(`error: ${failures.length - PRINTED_FAILURES} more runs failed; results.json lists every failure\n`)
  }
  if (failures.some(({ failure }) => failure.kind === "inputError")) return 2
  return failures.length > 0 ? 1 : 0
}
