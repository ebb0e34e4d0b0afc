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

/** Reasons, by Node.js errno code, that writing into an output folder fails because of the path or its file system. */
const OUTPUT_WRITE_REASONS: Readonly<Record<string, string>> = {
  EEXIST: "part of the path is a file, not a folder",
  ENOTDIR: "part of the path is a file, not a folder",
  EISDIR: "the path is a folder, not a file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EFBIG: "the file would exceed the maximum file size (see ulimit -f)"
}

/**
 * Turns a failed write under the output folder `outDir` into `InputError`
 * naming the path that failed and the reason, or returns `undefined` when
 * the error is not one of the errno codes of OUTPUT_WRITE_REASONS.
 */
export const outputWriteError = (error: unknown, outDir: string): InputError | undefined => {
  if (!(error instanceof Error)) return undefined
  const { code, path } = error as NodeJS.ErrnoException
  const reason = code === undefined ? undefined : OUTPUT_WRITE_REASONS[code]
  if (reason === undefined) return undefined
  return new InputError({
    message: `cannot write output to ${path ?? outDir}: ${reason} (${code}). Choose another folder with --out (now ${outDir}).`
  })
}

/**
 * Runs a step that writes command output under `outDir`, turning a failure
 * caused by the path or its file system into `InputError` (see
 * `outputWriteError`). An `InputError` of the step passes through. Any
 * other exception is a defect and keeps its stack trace.
 */
export const asOutputError = <A>(outDir: string, step: () => A): Effect.Effect<A, InputError> =>
  Effect.try({
    try: step,
    catch: (error) => {
      if (error instanceof InputError) return error
      const inputError = outputWriteError(error, outDir)
      if (inputError === undefined) throw error
      return inputError
    }
  })

/** Fails with `InputError` unless `value` is at least `minimum`. */
export const requireAtLeast = (option: string, value: number, minimum: number, reason = ""): Effect.Effect<void, InputError> =>
  value >= minimum ? Effect.void : Effect.fail(new InputError({ message: `${option} ${value}: expected an integer of ${minimum} or more${reason}` }))
