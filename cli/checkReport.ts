import type { JUnitSuite, JUnitTestCase } from "../reports/junit.js"
import type { SimulationJob, JobOutcome } from "./jobs/job.js"
import type { GoldenOutcome } from "./checkGolden.js"

/** Everything `runner-pool check` learned about one scenario and seed. */
export interface CheckResult {
  readonly job: SimulationJob
  /** The scenario's `name`. */
  readonly scenarioName: string
  readonly outcome: JobOutcome
  /** Comparison with the golden file, or `undefined` when the run was not compared: another seed than the scenario's, or no summary. */
  readonly golden: GoldenOutcome | undefined
}

/** `ok`: every check held. `FAIL`: an expectation or the golden comparison failed. `ERROR`: the scenario could not be run. */
export type CheckStatus = "ok" | "FAIL" | "ERROR"

/** Returns the status of a result; see `CheckStatus`. */
export const statusOf = (result: CheckResult): CheckStatus => {
  if (result.outcome.kind !== "ran") return "ERROR"
  if (result.outcome.expectationFailures.length > 0) return "FAIL"
  const golden = result.golden?.kind
  return golden === "missing" || golden === "invalid" || golden === "differs" || golden === "unavailable" ? "FAIL" : "ok"
}

/** Exit code for a set of results: 2 when a scenario had invalid input, else 1 when any check failed, else 0. */
export const exitCodeOf = (results: ReadonlyArray<CheckResult>): 0 | 1 | 2 => {
  if (results.some((result) => result.outcome.kind === "inputError")) return 2
  return results.every((result) => statusOf(result) === "ok") ? 0 : 1
}

/**
 * Lists every problem of a result, one entry per failed expectation, golden
 * difference or error, each a short heading followed by indented detail
 * lines. Empty when the result is `ok`, apart from a note on a rewritten
 * golden file.
 */
export const problemLines = (result: CheckResult): ReadonlyArray<string> => {
  const { outcome, golden } = result
  if (outcome.kind === "inputError") return [`invalid input: ${outcome.message}`]
  if (outcome.kind === "crashed") return outcome.message.split("\n")
  const lines = outcome.expectationFailures.map((failure) => `expect ${failure.message}`)
  if (golden === undefined) return lines

  switch (golden.kind) {
    case "missing":
      lines.push(`golden file ${golden.path} not found. Create it by running check with --update-golden.`)
      break
    case "invalid":
      lines.push(`golden file ${golden.path} is invalid: ${golden.reason}. Rewrite it by running check with --update-golden.`)
      break
    case "differs":
      lines.push(
        `golden file ${golden.path} differs in ${values(golden.changes.length)} (old -> new). ` +
          "If the change is intended, accept it by running check with --update-golden:",
        ...golden.changes.map((change) => `  ${change}`)
      )
      break
    case "unavailable":
      lines.push(`golden file ${golden.path}: ${golden.reason}`)
      break
    case "written":
    case "match":
      break
  }
  return lines
}

/** Summarizes what failed in a few words, for the table's details column. */
const detailsCell = (result: CheckResult): string => {
  const { outcome, golden } = result
  if (outcome.kind === "inputError") return "invalid input"
  if (outcome.kind === "crashed") return "simulation crashed"
  const notes: Array<string> = []
  if (outcome.expectationFailures.length > 0) {
    notes.push(`expect failed: ${outcome.expectationFailures.map((failure) => failure.path).join(", ")}`)
  }
  if (golden?.kind === "missing") notes.push("golden file missing")
  if (golden?.kind === "invalid") notes.push("golden file invalid")
  if (golden?.kind === "unavailable") notes.push("golden file unreadable")
  if (golden?.kind === "differs") notes.push(`golden differs in ${values(golden.changes.length)}`)
  if (golden?.kind === "written") notes.push(golden.created ? "golden file created" : `golden file updated (${values(golden.changes.length)} changed)`)
  return notes.join("; ")
}

const values = (count: number): string => `${count} value${count === 1 ? "" : "s"}`

const COLUMNS = ["scenario", "seed", "status", "time", "details"] as const

/** Widths of the table's first four columns, fixed before the first row is printed. */
export interface TableLayout {
  readonly widths: ReadonlyArray<number>
}

/** Sizes the table for these jobs, so that rows can be printed as they finish. */
export const tableLayout = (jobs: ReadonlyArray<SimulationJob>): TableLayout => ({
  widths: [
    Math.max(COLUMNS[0].length, ...jobs.map((job) => job.file.length)),
    Math.max(COLUMNS[1].length, ...jobs.map((job) => String(job.seed).length)),
    "status".length,
    "9999.99 s".length
  ]
})

const formatRow = (layout: TableLayout, cells: ReadonlyArray<string>): string =>
  cells
    .map((cell, index) => (index < layout.widths.length ? cell.padEnd(layout.widths[index]!) : cell))
    .join("  ")
    .trimEnd()

/** The table's header line. */
export const tableHeader = (layout: TableLayout): string => formatRow(layout, COLUMNS)

/** One table line: file, seed, status, wall-clock time of the run and a short note on what failed. */
export const tableRow = (layout: TableLayout, result: CheckResult): string =>
  formatRow(layout, [
    result.job.file,
    String(result.job.seed),
    statusOf(result),
    `${result.outcome.wallSeconds.toFixed(2)} s`,
    detailsCell(result)
  ])

/** Formats the detail block of a result that is not `ok`: a heading line and its problems, indented. */
export const detailBlock = (result: CheckResult): string => {
  const heading = `${statusOf(result)} ${result.job.file} (${result.scenarioName}, seed ${result.job.seed})`
  return [heading, ...problemLines(result).map((line) => `  ${line}`)].join("\n")
}

/** Formats the closing line: the number of runs, how many passed, failed and could not run, and the total wall-clock time. */
export const totalsLine = (results: ReadonlyArray<CheckResult>, wallSeconds: number): string => {
  const count = (status: CheckStatus) => results.filter((result) => statusOf(result) === status).length
  const errors = count("ERROR")
  return `${results.length} run${results.length === 1 ? "" : "s"} in ${wallSeconds.toFixed(1)} s: ${count("ok")} ok, ${count("FAIL")} failed, ${errors} error${errors === 1 ? "" : "s"}`
}

/** The JUnit suite of a check: one test case per scenario and seed, failures and errors carrying every problem line. */
export const toJUnitSuite = (results: ReadonlyArray<CheckResult>, wallSeconds: number): JUnitSuite => ({
  name: "runner-pool check",
  timeSeconds: wallSeconds,
  testCases: results.map((result): JUnitTestCase => {
    const status = statusOf(result)
    const problem = { message: problemLines(result).join("\n"), details: detailBlock(result) }
    return {
      name: `${result.scenarioName} (seed ${result.job.seed})`,
      classname: result.job.file,
      timeSeconds: result.outcome.wallSeconds,
      ...(status === "FAIL" ? { failure: problem } : {}),
      ...(status === "ERROR" ? { error: problem } : {})
    }
  })
})
