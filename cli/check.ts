import { accessSync, constants, mkdirSync, statSync } from "node:fs"
import { dirname } from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Data, Effect, Option } from "effect"
import { toJUnitXml } from "../reports/junit.js"
import { InputError } from "../sim/scenario/inputError.js"
import { loadScenario } from "../sim/scenario/load.js"
import type { Scenario } from "../sim/scenario/schema.js"
import { DEFAULT_SCENARIO_FOLDER, findScenarioFiles, goldenPathOf } from "./checkFiles.js"
import { compareWithGolden, type GoldenOutcome } from "./checkGolden.js"
import type { SimulationJob, JobOutcome } from "./jobs/job.js"
import { runJobs } from "./jobs/pool.js"
import { makeCheckProgress } from "./checkProgress.js"
import { detailBlock, exitCodeOf, statusOf, tableHeader, tableLayout, tableRow, toJUnitSuite, totalsLine, type CheckResult } from "./checkReport.js"
import { asInputError, requireAtLeast } from "./inputErrors.js"
import { writeOutputFile } from "./output.js"

/**
 * `runner-pool check` found a failed check (exit code 1) or a scenario with
 * invalid input (exit code 2). The details are already printed.
 */
export class CheckFailed extends Data.TaggedError("CheckFailed")<{ readonly exitCode: 1 | 2 }> {}

const pathsArg = Args.text({ name: "PATH" }).pipe(
  Args.repeated,
  Args.withDescription(
    `Scenario file, or folder searched recursively in which every *.yaml file is a scenario. Repeatable. Default: ${DEFAULT_SCENARIO_FOLDER}`
  )
)
const junitOption = Options.text("junit").pipe(
  Options.withPseudoName("FILE"),
  Options.optional,
  Options.withDescription(
    "Also write a JUnit XML report to FILE: one test case per scenario and seed, with every failed check. Not written when a scenario file is invalid, because then nothing runs."
  )
)
const updateGoldenOption = Options.boolean("update-golden").pipe(
  Options.withDescription(
    "Write each scenario's summary (without engine) to its golden file NAME.golden.json beside NAME.yaml, instead of comparing with it. Failed expectations still fail."
  )
)
const seedsOption = Options.integer("seeds").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(1),
  Options.withDescription(
    "Run each scenario with N seeds: its own seed S, then S+1 up to S+N-1. Every run is tested against the expect block; only the run with seed S is compared with the golden file. Default: 1."
  )
)
const jobsOption = Options.integer("jobs").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(1),
  Options.withDescription(
    "Number of simulations run at once, each in its own worker thread. Default: 1, which runs them one after another on the main thread."
  )
)

/**
 * `runner-pool check`: runs scenarios and checks each summary against the
 * scenario's `expect` block and its golden file, prints a table, and exits
 * 0 when every check holds, 1 when one fails, 2 on invalid input.
 */
export const checkCommand = Command.make(
  "check",
  { paths: pathsArg, junit: junitOption, updateGolden: updateGoldenOption, seeds: seedsOption, jobs: jobsOption },
  (options) =>
    Effect.gen(function* () {
      const started = performance.now()
      yield* requireAtLeast("--seeds", options.seeds, 1)
      yield* requireAtLeast("--jobs", options.jobs, 1)
      const paths = options.paths.length === 0 ? [DEFAULT_SCENARIO_FOLDER] : options.paths
      const files = yield* asInputError(() => findScenarioFiles(paths))
      const scenarios = yield* loadAll(files)
      const junitFile = Option.getOrUndefined(options.junit)
      if (junitFile !== undefined) yield* prepareReportFile(junitFile)

      const jobs = scenarios.flatMap(({ file, scenario }, scenarioIndex) =>
        Array.from({ length: options.seeds }, (_, offset): SimulationJob => ({
          index: scenarioIndex * options.seeds + offset,
          file,
          seed: scenario.seed + offset
        }))
      )
      const results = yield* Effect.promise(() => runAndPrint(jobs, scenarios, options.jobs, options.updateGolden))
      const wallSeconds = (performance.now() - started) / 1000

      const failed = results.filter((result) => statusOf(result) !== "ok")
      for (const result of failed) process.stdout.write(`\n${detailBlock(result)}\n`)
      process.stdout.write(`\n${totalsLine(results, wallSeconds)}\n`)
      for (const result of results) {
        if (result.outcome.kind === "inputError") process.stderr.write(`error: ${result.outcome.message}\n`)
      }
      if (junitFile !== undefined) yield* writeReportFile(junitFile, toJUnitXml(toJUnitSuite(results, wallSeconds)))

      const exitCode = exitCodeOf(results)
      if (exitCode !== 0) return yield* new CheckFailed({ exitCode })
    })
).pipe(
  Command.withDescription(
    "Run scenarios and check each summary against the scenario's expect block and its golden file (NAME.golden.json beside NAME.yaml). " +
      "Exit code 0 when every check holds, 1 when one fails, 2 on invalid input."
  )
)


interface LoadedScenario {
  readonly file: string
  readonly scenario: Scenario
}

/**
 * Loads every scenario before running any, so that a typo fails in a second
 * rather than after minutes of simulation. Prints one `error:` line per
 * invalid scenario and fails with exit code 2 when there is any.
 */
const loadAll = (files: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<LoadedScenario>, CheckFailed | InputError> =>
  Effect.gen(function* () {
    const loaded: Array<LoadedScenario> = []
    const errors: Array<string> = []
    for (const file of files) {
      const result = yield* Effect.either(asInputError(() => loadScenario(file)))
      if (result._tag === "Right") loaded.push({ file, scenario: result.right })
      else errors.push(result.left.message)
    }
    if (errors.length === 0) return loaded
    if (errors.length === 1) return yield* new InputError({ message: errors[0]! })
    for (const message of errors) process.stderr.write(`error: ${message}\n`)
    return yield* new CheckFailed({ exitCode: 2 })
  })

/**
 * Runs the jobs, compares each base-seed summary with its golden file as it
 * arrives, and prints the table row by row in job order, whatever order the
 * jobs finish in.
 */
const runAndPrint = async (
  jobs: ReadonlyArray<SimulationJob>,
  scenarios: ReadonlyArray<LoadedScenario>,
  parallel: number,
  updateGolden: boolean
): Promise<ReadonlyArray<CheckResult>> => {
  const layout = tableLayout(jobs)
  const progress = makeCheckProgress(jobs.length)
  const results: Array<CheckResult | undefined> = new Array(jobs.length)
  let nextRow = 0
  const scenarioOf = (job: SimulationJob): Scenario => scenarios.find((loaded) => loaded.file === job.file)!.scenario

  process.stdout.write(`${tableHeader(layout)}\n`)
  await runJobs(jobs, {
    parallel,
    onStart: progress.started,
    onProgress: progress.progressed,
    onDone: (job, outcome) => {
      const scenario = scenarioOf(job)
      const golden = job.seed === scenario.seed ? goldenOf(job, outcome, updateGolden) : undefined
      results[job.index] = { job, scenarioName: scenario.name, outcome, golden }
      progress.finished(job)
      progress.printAbove(() => {
        for (let result = results[nextRow]; result !== undefined; result = results[nextRow]) {
          process.stdout.write(`${tableRow(layout, result)}\n`)
          nextRow += 1
        }
      })
    }
  })
  progress.clear()
  return results as ReadonlyArray<CheckResult>
}

const goldenOf = (job: SimulationJob, outcome: JobOutcome, update: boolean): GoldenOutcome | undefined => {
  if (outcome.kind !== "ran") return undefined
  const path = goldenPathOf(job.file)
  try {
    return compareWithGolden(outcome.summary, path, update)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === undefined) throw error
    return { kind: "unavailable", path, reason: `it cannot be ${update ? "written" : "read"} (${code})` }
  }
}

/** Creates the report file's folder and checks that the file can be written, before any simulation runs. */
const prepareReportFile = (file: string): Effect.Effect<void, InputError> =>
  reportFileStep(file, () => {
    mkdirSync(dirname(file), { recursive: true })
    const existing = statSync(file, { throwIfNoEntry: false })
    if (existing?.isDirectory()) throw Object.assign(new Error(`${file} is a folder`), { code: "EISDIR" })
    accessSync(existing === undefined ? dirname(file) : file, constants.W_OK)
  })

const writeReportFile = (file: string, content: string): Effect.Effect<void, InputError> =>
  reportFileStep(file, () => writeOutputFile(file, content))

const reportFileStep = (file: string, step: () => void): Effect.Effect<void, InputError> =>
  Effect.try({
    try: step,
    catch: (error) => {
      const code = (error as NodeJS.ErrnoException).code
      if (code === undefined) throw error
      let reason: string = code
      if (code === "EISDIR") reason = "the path is a folder"
      if (code === "ENOTDIR") reason = "part of the path is a file, not a folder"
      return new InputError({ message: `cannot write the JUnit report to ${file}: ${reason}. Choose another file with --junit.` })
    }
  })
