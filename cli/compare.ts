import { join } from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { POLICY_NAMES } from "../core/policies/names.js"
import { renderCompareCharts } from "../reports/compare/charts.js"
import { renderCompareHtml } from "../reports/compare/html.js"
import { compareMarkdown } from "../reports/compare/table.js"
import { loadScenario } from "../sim/scenario/load.js"
import { buildComparison, type PolicyOutcome } from "./compare/build.js"
import { asInputError, asOutputError } from "./inputErrors.js"
import { awaitStep, commandLineOf } from "./tune.js"
import { summariesOf } from "./tune/output.js"
import { budgetOption, jobsOption, parsePolicies, requireSearchSizes, seedsOption, sloDescription, traceOption } from "./tune/options.js"
import { tuneReport } from "./tune/report.js"
import { tuneScenario } from "./tune/run.js"
import { parseSlos, requireSloSources } from "./tune/slo.js"
import { prepareWritableDir, writeOutputFile } from "./output.js"

/** SLO of `compare` when no `--slo` is given. */
export const DEFAULT_COMPARE_SLO = "waitSeconds.p95<=120"

const scenarioArg = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("Scenario file (YAML) whose workload every policy serves."))

const policiesOption = Options.text("policies").pipe(
  Options.withPseudoName("a,b,..."),
  Options.optional,
  Options.withDescription(`Comma-separated policies to compare. Default: every policy (${POLICY_NAMES.join(", ")}).`)
)
const sloOption = Options.text("slo").pipe(
  Options.withPseudoName("EXPR"),
  Options.repeated,
  Options.withDescription(`${sloDescription} Repeatable. Default: ${DEFAULT_COMPARE_SLO}.`)
)
const outOption = Options.text("out").pipe(
  Options.withPseudoName("DIR"),
  Options.optional,
  Options.withDescription("Folder for compare.json, compare.md and report.html. Default: out/compare-<scenario name>.")
)

/**
 * `runner-pool compare`: tunes each policy's own knobs for the SLOs on the
 * same workload and seeds, prints a markdown table of the tuned policies
 * with the clairvoyant and floor references, and writes compare.json,
 * compare.md and report.html. Exits 0 when the files are written, whether
 * or not a policy met the SLOs, and 2 on invalid input.
 */
export const compareCommand = Command.make(
  "compare",
  {
    scenario: scenarioArg,
    policies: policiesOption,
    slo: sloOption,
    budget: budgetOption("per policy"),
    seeds: seedsOption,
    jobs: jobsOption,
    trace: traceOption,
    out: outOption
  },
  (options) =>
    Effect.gen(function* () {
      yield* requireSearchSizes(options)
      const slos = yield* asInputError(() => parseSlos(options.slo.length === 0 ? [DEFAULT_COMPARE_SLO] : options.slo))
      const policyList = Option.getOrUndefined(options.policies)
      const policies = policyList === undefined ? [...POLICY_NAMES] : yield* asInputError(() => parsePolicies(policyList))
      const scenario = yield* asInputError(() => loadScenario(options.scenario))
      yield* asInputError(() => requireSloSources(slos, scenario, options.scenario))
      const outDir = Option.getOrElse(options.out, () => join("out", `compare-${scenario.name}`))
      yield* asOutputError(outDir, () => prepareWritableDir(outDir))

      const outcomes: Array<PolicyOutcome> = []
      for (const [index, policy] of policies.entries()) {
        const outcome = yield* awaitStep(() =>
          tuneScenario({
            file: options.scenario,
            scenario,
            slos,
            budget: options.budget,
            seedCount: options.seeds,
            parallel: options.jobs,
            policies: [policy],
            knobs: [],
            traceOverride: Option.getOrUndefined(options.trace),
            label: `comparing ${scenario.name}: ${policy} (${index + 1}/${policies.length})`
          })
        )
        if (summariesOf(outcome.bestRuns).length === 0) {
          process.stderr.write(`warning: no run of the best ${policy} configuration finished, so the table leaves ${policy} out\n`)
        }
        outcomes.push({ policy, outcome })
      }

      const commandLine = commandLineOf(process.argv.slice(2))
      const header = { scenario: scenario.name, file: options.scenario, slos, budgetPerPolicy: options.budget, commandLine }
      const comparison = buildComparison(header, scenario.pool, outcomes)
      const markdown = compareMarkdown(comparison)
      const html = renderCompareHtml(comparison, renderCompareCharts(comparison))
      const json = {
        comparison,
        searches: outcomes.map(({ policy, outcome }) => ({
          policy,
          ...tuneReport({ scenario: scenario.name, file: options.scenario, slos, budget: options.budget, commandLine }, scenario.pool, outcome)
        }))
      }
      const files = ["compare.json", "compare.md", "report.html"].map((name) => join(outDir, name))
      yield* asOutputError(outDir, () => {
        writeOutputFile(files[0]!, `${JSON.stringify(json, null, 2)}\n`)
        writeOutputFile(files[1]!, markdown)
        writeOutputFile(files[2]!, html)
      })
      process.stdout.write(`${markdown}\nwrote ${files.join(", ")}\n`)
    })
).pipe(
  Command.withDescription(
    "Tune each scaling policy's own knobs for the SLO on the same workload and seeds, then compare the tuned policies with the clairvoyant and floor reference costs. " +
      "Prints a markdown table and writes compare.json, compare.md and report.html. Exit code 0 when written, 2 on invalid input."
  )
)
