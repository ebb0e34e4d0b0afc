import { join } from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Data, Effect, Option } from "effect"
import { InputError } from "../sim/scenario/inputError.js"
import { loadScenario } from "../sim/scenario/load.js"
import { asInputError, asOutputError } from "./inputErrors.js"
import { budgetOption, jobsOption, knobOption, parseKnobs, parsePolicies, requireSearchSizes, seedsOption, sloDescription, traceOption } from "./tune/options.js"
import { poolBlock, searchSpending, sloMisses, spreadTable } from "./tune/output.js"
import { currentSettingsLine, tuneReport } from "./tune/report.js"
import { tuneScenario, type TuneOutcome, type TuneRequest } from "./tune/run.js"
import { formatSlo, parseSlos, requireSloSources, type Slo } from "./tune/slo.js"
import { prepareWritableDir, writeOutputFile } from "./output.js"

/** `runner-pool tune` found no configuration that meets every SLO on every seed (exit code 1). The details are already printed. */
export class TuneFailed extends Data.TaggedError("TuneFailed")<{ readonly exitCode: 1 }> {}

const scenarioArg = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("Scenario file (YAML) whose pool settings to tune."))

const sloOption = Options.text("slo").pipe(
  Options.withPseudoName("EXPR"),
  Options.repeated,
  Options.withDescription(`${sloDescription} Repeatable; at least one is required.`)
)
const policiesOption = Options.text("policies").pipe(
  Options.withPseudoName("a,b"),
  Options.optional,
  Options.withDescription("Comma-separated policies to search among, each with its own knobs. Default: the scenario's pool.policy only.")
)
const outOption = Options.text("out").pipe(
  Options.withPseudoName("DIR"),
  Options.optional,
  Options.withDescription("Folder to write tune.json to: every simulation the search ran, with its settings, seed and summary.")
)

/** Quotes command-line arguments for display, so that the line can be pasted into a POSIX shell. */
export const commandLineOf = (args: ReadonlyArray<string>): string =>
  ["runner-pool", ...args].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(" ")

/** Runs a promise-returning step, keeping `InputError` as a failure and anything else as a defect. */
export const awaitStep = <A>(step: () => Promise<A>): Effect.Effect<A, InputError> =>
  Effect.tryPromise({ try: step, catch: (error) => error }).pipe(
    Effect.catchAll((error) => (error instanceof InputError ? Effect.fail(error) : Effect.die(error)))
  )

/**
 * `runner-pool tune`: searches pool settings for the cheapest configuration
 * that meets every SLO on every seed, prints it as a YAML pool block with its
 * metrics, and exits 0. It exits 1 when none meets them and 2 on invalid input.
 */
export const tuneCommand = Command.make(
  "tune",
  {
    scenario: scenarioArg,
    slo: sloOption,
    budget: budgetOption("in all"),
    seeds: seedsOption,
    jobs: jobsOption,
    policies: policiesOption,
    knob: knobOption,
    trace: traceOption,
    out: outOption
  },
  (options) =>
    Effect.gen(function* () {
      yield* requireSearchSizes(options)
      if (options.slo.length === 0) {
        return yield* new InputError({ message: "missing --slo: give at least one, such as --slo 'waitSeconds.p95<=120'" })
      }
      const slos = yield* asInputError(() => parseSlos(options.slo))
      const scenario = yield* asInputError(() => loadScenario(options.scenario))
      yield* asInputError(() => requireSloSources(slos, scenario, options.scenario))
      const policyList = Option.getOrUndefined(options.policies)
      const policies = policyList === undefined ? [scenario.pool.policy] : yield* asInputError(() => parsePolicies(policyList))
      const knobs = yield* asInputError(() => parseKnobs(options.knob, scenario.pool))
      const outDir = Option.getOrUndefined(options.out)
      if (outDir !== undefined) yield* asOutputError(outDir, () => prepareWritableDir(outDir))

      const request: TuneRequest = {
        file: options.scenario,
        scenario,
        slos,
        budget: options.budget,
        seedCount: options.seeds,
        parallel: options.jobs,
        policies,
        knobs,
        traceOverride: Option.getOrUndefined(options.trace),
        label: `tuning ${scenario.name}`
      }
      const outcome = yield* awaitStep(() => tuneScenario(request))
      process.stdout.write(describeOutcome(request, outcome))

      if (outDir !== undefined) {
        const header = { scenario: scenario.name, file: options.scenario, slos, budget: options.budget, commandLine: commandLineOf(process.argv.slice(2)) }
        const file = join(outDir, "tune.json")
        yield* asOutputError(outDir, () => writeOutputFile(file, `${JSON.stringify(tuneReport(header, scenario.pool, outcome), null, 2)}\n`))
        process.stdout.write(`\nwrote ${file}\n`)
      }
      if (!outcome.search.best.meetsSlo) return yield* new TuneFailed({ exitCode: 1 })
    })
).pipe(
  Command.withDescription(
    "Search pool settings for the cheapest configuration (by runner-hours) that meets every --slo on every seed, by successive halving over seeds. " +
      "Prints it as a YAML pool block with its metrics. Exit code 0 when one meets the SLOs, 1 when none does, 2 on invalid input."
  )
)

const slosText = (slos: ReadonlyArray<Slo>): string => slos.map(formatSlo).join(" and ")

/** Returns what tune prints: the best (or closest) configuration, its metrics, its misses and the search's spending. */
const describeOutcome = (request: TuneRequest, outcome: TuneOutcome): string => {
  const { search, seeds } = outcome
  const best = search.best
  const seedList = seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length === 2 ? "both" : `all ${seeds.length}`} seeds (${seeds.join(", ")})`
  const headline = best.meetsSlo
    ? `Cheapest configuration meeting ${slosText(request.slos)} on ${seedList}:`
    : `No configuration met ${slosText(request.slos)} on ${seedList}. The closest, which met it on ${best.seedsMeetingSlo} of ${seeds.length}:`
  const misses = sloMisses(request.slos, seeds, outcome.bestRuns)
  const current = currentSettingsLine(outcome.space, outcome, request.scenario.pool.policy)
  return [
    headline,
    "",
    poolBlock(request.scenario.pool, best.settings).trimEnd(),
    "",
    spreadTable(outcome.bestRuns),
    ...(misses.length === 0 ? [] : ["", "Missed:", ...misses.map((line) => `  ${line}`)]),
    "",
    ...(current === undefined ? [] : [current]),
    searchSpending(search, seeds.length, request.budget),
    ""
  ].join("\n")
}
