import type { CsvOrigin } from "./csv.js"
import { traceError } from "./errors.js"

/**
 * Names of the 18 fields of a Standard Workload Format record, in file
 * order, usable as `filter` keys. Times are seconds, and -1 marks an
 * unknown value.
 */
export const SWF_FIELDS = [
  "job_number",
  "submit_time",
  "wait_time",
  "run_time",
  "allocated_processors",
  "average_cpu_time",
  "used_memory",
  "requested_processors",
  "requested_time",
  "requested_memory",
  "status",
  "user_id",
  "group_id",
  "executable",
  "queue",
  "partition",
  "preceding_job",
  "think_time"
] as const

const UNIX_START_TIME = /^;\s*UnixStartTime:\s*(-?\d+(?:\.\d+)?)\s*$/

/**
 * Visits the records of an SWF text. Lines starting with `;` are header
 * comments, and the `UnixStartTime` one gives the epoch second that submit
 * times count from. For each record, `visit` receives the requested fields in
 * order and the 1-based line number. The `cells` array is reused between calls.
 *
 * Returns the UnixStartTime, or 0 when the header has none, so submit times
 * stay relative. Throws WorkloadError on a field name outside SWF_FIELDS or on a
 * record that does not have 18 whitespace-separated fields.
 */
export const readSwf = (
  text: string,
  origin: CsvOrigin,
  fields: ReadonlyArray<string>,
  visit: (cells: ReadonlyArray<string>, line: number) => void
): number => {
  const indexes = fields.map((field) => {
    const index = (SWF_FIELDS as ReadonlyArray<string>).indexOf(field)
    if (index === -1) {
      throw traceError({ ...origin, column: field }, "unknown SWF field", {
        expected: `one of ${SWF_FIELDS.join(", ")}`
      })
    }
    return index
  })

  const cells: string[] = fields.map(() => "")
  let unixStartTime = 0
  let line = 0
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0

  while (pos < text.length) {
    line++
    let lineEnd = text.indexOf("\n", pos)
    if (lineEnd === -1) lineEnd = text.length
    const content = text.slice(pos, lineEnd).trim()
    pos = lineEnd + 1

    if (content === "") continue
    if (content.startsWith(";")) {
      const match = UNIX_START_TIME.exec(content)
      if (match !== null) unixStartTime = Number(match[1])
      continue
    }

    const values = content.split(/\s+/)
    if (values.length !== SWF_FIELDS.length) {
      throw traceError({ ...origin, line }, `record has ${values.length} fields`, {
        value: content,
        expected: `${SWF_FIELDS.length} whitespace-separated fields`
      })
    }
    indexes.forEach((index, slot) => {
      cells[slot] = values[index]!
    })
    visit(cells, line)
  }
  return unixStartTime
}
