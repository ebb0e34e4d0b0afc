import { Data } from "effect"

/**
 * A workload source could not be turned into runs: a trace file is missing,
 * unreadable or contains a row that does not parse. `message` is ready to
 * show and names the source, the file, the line and the offending value.
 */
export class WorkloadError extends Data.TaggedError("WorkloadError")<{
  /** Name of the workload source (its `name`, or kind and index). */
  readonly source: string
  /** Absolute path of the trace file. */
  readonly file: string
  /** 1-based line number in the (decompressed) file, when one line is at fault. */
  readonly line?: number
  /** Header name of the CSV column, or SWF field name, when one cell is at fault. */
  readonly column?: string
  /** The offending text: a cell, a line (cut to 120 characters) or a path. */
  readonly value?: string
  /** Expected content at that place, such as "a number of seconds". */
  readonly expected: string
  readonly message: string
}> {}

/** Location of a problem in a trace file. */
export interface TraceLocation {
  readonly source: string
  readonly file: string
  readonly line?: number
  readonly column?: string
}

const MAX_VALUE_LENGTH = 120

const clip = (text: string): string =>
  text.length <= MAX_VALUE_LENGTH ? text : `${text.slice(0, MAX_VALUE_LENGTH)}...`

/**
 * Creates a WorkloadError whose message reads
 * `FILE:LINE: column "C": PROBLEM "VALUE", expected EXPECTED (workload source "S")`,
 * leaving out the parts the location lacks.
 */
export const traceError = (
  location: TraceLocation,
  problem: string,
  details: { readonly value?: string; readonly expected: string }
): WorkloadError => {
  const line = location.line === undefined ? "" : `:${location.line}`
  const column = location.column === undefined ? "" : ` column "${location.column}":`
  const value = details.value === undefined ? undefined : clip(details.value)
  const quotedValue = value === undefined ? "" : ` ${JSON.stringify(value)}`
  const message = `${location.file}${line}:${column} ${problem}${quotedValue}, expected ${details.expected} (workload source "${location.source}")`
  return new WorkloadError({
    source: location.source,
    file: location.file,
    ...(location.line === undefined ? {} : { line: location.line }),
    ...(location.column === undefined ? {} : { column: location.column }),
    ...(value === undefined ? {} : { value }),
    expected: details.expected,
    message
  })
}
