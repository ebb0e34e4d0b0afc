import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { gunzipSync } from "node:zlib"
import { readCsv, type CsvOrigin } from "./csv.js"
import { traceError } from "./errors.js"
import { DEFAULT_TRACE_COLUMNS, type TraceSource } from "./schema.js"
import { readSwf } from "./swf.js"

/** The runs of one trace source, in file order, in milliseconds of simulation time. */
export interface TraceRuns {
  readonly arrivals: Float64Array
  readonly durations: Float64Array
  /** Rows in the replayed window that record no duration, or no arrival at all. */
  readonly skipped: number
}

/** Replay options of a trace source. */
export interface TraceOptions {
  /** Runs arriving at or after this simulation time (ms) are dropped. */
  readonly horizonMs: number
  /** Folder that a relative trace path is resolved against: the scenario file's folder. */
  readonly baseDir: string
  /** Path read in place of the source's own, resolved against the working directory when relative. */
  readonly traceOverride?: string
}

/**
 * Reads a trace source into runs. The file is read whole and gunzipped in
 * memory when it starts with the gzip magic bytes 0x1f 0x8b, whatever its
 * name. Arrival offsets are `(time - startAt) * timeScale` and durations
 * `duration * durationScale`, both converted from seconds to milliseconds.
 * The default `startAt` is the earliest arrival in the file, before filtering,
 * so sources that filter one file differently stay aligned.
 * Rows that fail the filter, arrive before `startAt` or at or after the horizon
 * are dropped, and rows in the window without a duration (empty or negative,
 * like the -1 of SWF) are counted in `skipped`.
 *
 * Throws WorkloadError when the file is missing or unreadable, or when a row
 * has a non-numeric time, the wrong cell count or the header lacks a column.
 */
export const loadTraceRuns = (source: TraceSource, options: TraceOptions): TraceRuns => {
  const override = options.traceOverride
  const file = override === undefined ? resolve(options.baseDir, source.path) : resolve(override)
  const origin: CsvOrigin = { source: source.name, file }
  const requested =
    override === undefined
      ? `path ${JSON.stringify(source.path)} relative to ${options.baseDir}`
      : `trace override ${JSON.stringify(override)} relative to the working directory`
  const text = readTraceText(file, origin, requested)
  const rows = source.format === "swf" ? readSwfRows(text, origin, source) : readCsvRows(text, origin, source)
  return placeRows(rows, source, options.horizonMs)
}

/** Trace rows that pass the filter, in seconds of trace time. NaN marks a missing arrival or duration. */
interface TraceRows {
  readonly arrivals: number[]
  readonly durations: number[]
  /** Earliest arrival of any row in the file, filtered out or not, or Infinity when no row has one. */
  firstArrival: number
}

const readTraceText = (file: string, origin: CsvOrigin, requested: string): string => {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const problem = code === "ENOENT" ? "trace file not found" : `cannot read trace file (${code ?? String(error)})`
    throw traceError(origin, `${problem} (${requested})`, {
      expected: "a readable CSV or SWF file, optionally gzip-compressed"
    })
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes)
    } catch (error) {
      throw traceError(origin, `gzip data is corrupt (${(error as Error).message})`, {
        expected: "a complete gzip file, since the file starts with the gzip magic bytes"
      })
    }
  }
  const text = bytes.toString("utf8")
  if (text.trim() === "") {
    throw traceError(origin, "trace file is empty", { expected: "a header row followed by one row per run" })
  }
  return text
}

/**
 * Builds the filter of a source over the cells at `slots`: keeps a row when
 * each filtered cell, trimmed, equals one of the listed values as text.
 */
const filterOf = (source: TraceSource) => {
  const entries = Object.entries(source.filter ?? {}).map(
    ([column, value]) => [column, new Set((Array.isArray(value) ? value : [value]).map(String))] as const
  )
  const columns = entries.map(([column]) => column)
  const accepts = (cells: ReadonlyArray<string>, slots: ReadonlyArray<number>): boolean => {
    for (let i = 0; i < entries.length; i++) {
      if (!entries[i]![1].has(cells[slots[i]!]!.trim())) return false
    }
    return true
  }
  return { columns, accepts }
}

/**
 * Parses a time cell in seconds. Returns NaN for an empty cell and throws
 * WorkloadError for text that is not a finite number.
 */
const parseSeconds = (cell: string, origin: CsvOrigin, line: number, column: string): number => {
  const text = cell.trim()
  if (text === "") return NaN
  const value = Number(text)
  if (!Number.isFinite(value)) {
    throw traceError({ ...origin, line, column }, "invalid value", { value: cell, expected: "a number of seconds" })
  }
  return value
}

const readCsvRows = (text: string, origin: CsvOrigin, source: TraceSource): TraceRows => {
  const columns = source.columns ?? DEFAULT_TRACE_COLUMNS
  const filter = filterOf(source)
  const named = [columns.submit, columns.start, columns.end, columns.duration, ...filter.columns]
  const requested = [...new Set(named.filter((column): column is string => column !== undefined))]
  const slotOf = (column: string | undefined) => (column === undefined ? -1 : requested.indexOf(column))
  const [submitSlot, startSlot, endSlot, durationSlot] = named.slice(0, 4).map(slotOf) as [number, number, number, number]
  const filterSlots = filter.columns.map(slotOf)

  const cellSeconds = (cells: ReadonlyArray<string>, slot: number, line: number): number =>
    slot === -1 ? NaN : parseSeconds(cells[slot]!, origin, line, requested[slot]!)

  const rows: TraceRows = { arrivals: [], durations: [], firstArrival: Infinity }
  readCsv(text, origin, requested, (cells, line) => {
    const submit = cellSeconds(cells, submitSlot, line)
    const arrival = Number.isNaN(submit) ? cellSeconds(cells, startSlot, line) : submit
    if (arrival < rows.firstArrival) rows.firstArrival = arrival
    if (!filter.accepts(cells, filterSlots)) return
    const duration =
      durationSlot === -1
        ? cellSeconds(cells, endSlot, line) - cellSeconds(cells, startSlot, line)
        : cellSeconds(cells, durationSlot, line)
    rows.arrivals.push(arrival)
    rows.durations.push(duration)
  })
  return rows
}

const readSwfRows = (text: string, origin: CsvOrigin, source: TraceSource): TraceRows => {
  const filter = filterOf(source)
  const raw: TraceRows = { arrivals: [], durations: [], firstArrival: Infinity }

  const filterSlots = filter.columns.map((_, i) => 2 + i)

  const unixStartTime = readSwf(text, origin, ["submit_time", "run_time", ...filter.columns], (cells, line) => {
    const submit = parseSeconds(cells[0]!, origin, line, "submit_time")
    const arrival = submit < 0 ? NaN : submit
    if (arrival < raw.firstArrival) raw.firstArrival = arrival
    if (!filter.accepts(cells, filterSlots)) return
    raw.arrivals.push(arrival)
    raw.durations.push(parseSeconds(cells[1]!, origin, line, "run_time"))
  })
  return {
    arrivals: raw.arrivals.map((submit) => submit + unixStartTime),
    durations: raw.durations,
    firstArrival: raw.firstArrival + unixStartTime
  }
}

/**
 * Rounds milliseconds to whole microseconds. Epoch seconds with millisecond
 * decimals are not exact doubles, so `(time - startAt) * 1000` would carry
 * noise such as 604799946.0000992. `|| 0` turns a rounded -0 into 0.
 */
const toMicrosecond = (ms: number): number => Math.round(ms * 1000) / 1000 || 0

const placeRows = (rows: TraceRows, source: TraceSource, horizonMs: number): TraceRuns => {
  const startAt = source.startAt ?? rows.firstArrival

  const arrivals: number[] = []
  const durations: number[] = []
  let skipped = 0
  const arrivalFactor = 1000 * source.timeScale
  const durationFactor = 1000 * source.durationScale

  for (let i = 0; i < rows.arrivals.length; i++) {
    const arrival = rows.arrivals[i]!
    const duration = rows.durations[i]!
    if (Number.isNaN(arrival)) {
      skipped++
      continue
    }
    const arrivalMs = toMicrosecond((arrival - startAt) * arrivalFactor)
    if (arrivalMs < 0 || arrivalMs >= horizonMs) continue
    if (!(duration >= 0)) {
      skipped++
      continue
    }
    arrivals.push(arrivalMs)
    durations.push(toMicrosecond(duration * durationFactor))
  }
  return { arrivals: Float64Array.from(arrivals), durations: Float64Array.from(durations), skipped }
}
