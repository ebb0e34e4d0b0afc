#!/usr/bin/env node
import { Command, ValidationError } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { Cause, Console, Effect, Exit } from "effect"
import { CheckFailed, checkCommand } from "./check.js"
import { compareCommand } from "./compare.js"
import { simulateCommand } from "./simulate.js"
import { TuneFailed, tuneCommand } from "./tune.js"
import { SweepFailed, sweepCommand } from "./sweep.js"
import { VERSION } from "./version.js"

const rootCommand = Command.make("runner-pool").pipe(
  Command.withDescription("Runner-pool orchestrator for CI, with a deterministic simulator for capacity planning."),
  Command.withSubcommands([simulateCommand, checkCommand, tuneCommand, compareCommand, sweepCommand])
)

const cli = Command.run(rootCommand, { name: "runner-pool", version: VERSION })

/** Prefixes what @effect/cli prints on standard error (invalid arguments) with `error:`, as our own errors are. */
const withErrorPrefix = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Console.consoleWith((console) =>
    Effect.withConsole(program, {
      ...console,
      error: (...args: ReadonlyArray<unknown>) => console.error("error:", ...args)
    })
  )

/** Exit codes: 0 success, 1 a check failed, 2 invalid input (arguments, scenario, trace). */
const main = withErrorPrefix(cli(process.argv)).pipe(
  Effect.catchTag("InputError", (error) =>
    Effect.sync(() => {
      process.stderr.write(`error: ${error.message}\n`)
      process.exitCode = 2
    })
  ),
  // `check` has printed what failed; only the exit code is left to set.
  Effect.catchTag("CheckFailed", (error: CheckFailed) => Effect.sync(() => (process.exitCode = error.exitCode))),
  // `tune` has printed the closest configuration, so only the exit code is left to set.
  Effect.catchTag("TuneFailed", (error: TuneFailed) => Effect.sync(() => (process.exitCode = error.exitCode))),
  // `sweep` has printed its failed runs and written its results.
  Effect.catchTag("SweepFailed", (error: SweepFailed) => Effect.sync(() => (process.exitCode = error.exitCode))),
  Effect.provide(NodeContext.layer)
)

Effect.runPromiseExit(main).then((exit) => {
  if (Exit.isSuccess(exit)) return
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "Some" && ValidationError.isValidationError(failure.value)) {
    // @effect/cli has already printed the problem and the usage.
    process.exitCode = ValidationError.isHelpRequested(failure.value) ? 0 : 2
    return
  }
  process.stderr.write(`runner-pool failed unexpectedly:\n${Cause.pretty(exit.cause)}\n`)
  process.exitCode = 70
})
