import { mkdirSync } from "node:fs"
import { Effect } from "effect"
import { InputError } from "../sim/scenario/inputError.js"
import { WorkloadError } from "../sim/workload/errors.js"

/**
 * Runs a synchronous step of a command, turning the errors that mean bad
 * input (a scenario, trace or output path the user gave) into `InputError`.
 * Any other exception is a defect and keeps its stack trace.
 */
export const asInputError = <A>(step: () => A): Effect.Effect<A, InputError> =>
  Effect.try({
    try: step,
    catch: (error) => {
      if (error instanceof InputError) return error
      if (error instanceof WorkloadError) return new InputError({ message: error.message })
      const code = (error as NodeJS.ErrnoException | undefined)?.code
      if (typeof code === "string" && error instanceof Error) return new InputError({ message: error.message })
      throw error
    }
  })

export const mkdirSyncRecursive = (dir: string): void => {
  mkdirSync(dir, { recursive: true })
}
