import { join } from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option, Schema } from "effect"
import { summaryTable } from "../reports/summary.js"
import { loadScenario } from "../sim/scenario/load.js"
import { Scenario } from "../sim/scenario/schema.js"
import { EventLogWriter, prepareOutputDir, writeReport } from "./output.js"
import { makeProgressBar } from "./progress.js"
import { runScenario } from "./runScenario.js"
import { asInputError, asOutputError } from "./inputErrors.js"

const scenarioArg = Args.text({ name: "SCENARIO" }).pipe(Args.withDescription("Scenario file (YAML) to simulate."))

const outOption = Options.text("out").pipe(
  Options.withPseudoName("DIR"),
  Options.optional,
  Options.withDescription("Folder for summary.json, report.html and charts/*.png. Default: out/<scenario name>.")
)
const seedOption = Options.integer("seed").pipe(
  Options.withPseudoName("N"),
  Options.optional,
  Options.withDescription("Seed of every random stream (workload, cloud, runners); replaces the scenario's seed.")
)
const setOption = Options.text("set").pipe(
  Options.withPseudoName("PATH=VALUE"),
  Options.repeated,
  Options.withDescription(
    "Override one scenario value, as PATH=VALUE with a YAML value, e.g. --set pool.maxPoolSize=50 --set pool.idleTimeout=10m --set pool.scaleUpCooldownMs=60000. Durations take units (s, m, h, d) or off; cooldowns are milliseconds. Repeatable."
  )
)
const traceOption = Options.text("trace").pipe(
  Options.withPseudoName("PATH"),
  Options.optional,
  Options.withDescription("Trace file to replay instead of the path in every trace source (CSV or SWF, gzip allowed), relative to the working directory.")
)
const eventsOption = Options.boolean("events").pipe(
  Options.withDescription("Also write every event to events.jsonl, one JSON object per line (large for long runs).")
)

/** `runner-pool simulate`: runs one scenario and writes its summary, charts and report. */
export const simulateCommand = Command.make(
  "simulate",
  { scenario: scenarioArg, out: outOption, seed: seedOption, set: setOption, trace: traceOption, events: eventsOption },
  (options) =>
    Effect.gen(function* () {
      const scenario = yield* asInputError(() =>
        loadScenario(options.scenario, { seed: Option.getOrUndefined(options.seed), sets: options.set })
      )
      const outDir = Option.getOrElse(options.out, () => join("out", scenario.name))
      yield* asOutputError(outDir, () => prepareOutputDir(outDir))
      const progress = makeProgressBar(`simulating ${scenario.name}`)
      const eventLog = options.events ? yield* asOutputError(outDir, () => new EventLogWriter(join(outDir, "events.jsonl"))) : undefined
      const run = yield* asInputError(() =>
        runScenario(scenario, {
          scenarioFile: options.scenario,
          traceOverride: Option.getOrUndefined(options.trace),
          onEvent: eventLog?.write,
          onProgress: progress.update
        })
      ).pipe(Effect.ensuring(Effect.sync(() => (progress.done(), eventLog?.close()))))
      const settings = Schema.encodeSync(Scenario)(scenario)
      const written = yield* asOutputError(outDir, () => writeReport(run, settings, outDir))
      yield* Console.log(summaryTable(run.summary))
      const { count, first } = run.metrics.inconsistencies
      if (count > 0) {
        yield* Console.error(`warning: the report ignored ${count} events that contradict the runner lifecycle; the first: ${first}`)
      }
      yield* Console.log(`\nwrote ${[...written.slice(0, 2), ...(eventLog ? [eventLog.path] : [])].join(", ")} and ${written.length - 2} charts`)
    })
).pipe(Command.withDescription("Simulate a scenario: replay its workload through the pool controller and write a report."))
