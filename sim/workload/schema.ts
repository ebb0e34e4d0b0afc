import { ParseResult, Schema } from "effect"
import { DurationMs, formatDurationMs } from "../../core/duration.js"
import { CountDistribution, DurationDistribution, strictKeys } from "./distributionSchema.js"
import { parseTraceStartAt } from "./traceTime.js"
import { formatValue } from "../../core/formatValue.js"

export { CountDistribution, DISTRIBUTION_KEYS, DurationDistribution } from "./distributionSchema.js"

const PositiveNumber = Schema.Number.pipe(
  Schema.finite(),
  Schema.filter((x) => x > 0 || `expected a number greater than zero, got ${x}`)
)
const Factor = Schema.Number.pipe(
  Schema.finite(),
  Schema.filter((x) => x >= 0 || `expected a factor of zero or more, got ${x}`)
)
const SourceName = Schema.String.pipe(
  Schema.filter((name) => /^[A-Za-z0-9_.-]+$/.test(name) || `expected a name of letters, digits, "_", "." or "-", got "${name}"`)
)

/**
 * Factors that multiply a Poisson source's rate by the hour of the day and
 * the day of the week. Simulation time 0 is Monday 00:00, so hour `h` of day
 * `d` (Monday = 0) has rate `ratePerHour * hourOfDay[h] * dayOfWeek[d]`. A
 * missing list counts as all ones.
 */
export const RateProfile = Schema.Struct({
  hourOfDay: Schema.optionalWith(Schema.Array(Factor).pipe(Schema.itemsCount(24)), { exact: true }),
  dayOfWeek: Schema.optionalWith(Schema.Array(Factor).pipe(Schema.itemsCount(7)), { exact: true })
}).annotations(strictKeys)

export type RateProfile = typeof RateProfile.Type

const inOrder = (window: { readonly start?: number | undefined; readonly end?: number | undefined }) =>
  window.start === undefined ||
  window.end === undefined ||
  window.start < window.end || {
    path: ["end"],
    message: `expected end after start (${formatDurationMs(window.start)}), got ${formatDurationMs(window.end)}`
  }

const PoissonFields = {
  kind: Schema.Literal("poisson"),
  name: Schema.optionalWith(SourceName, { exact: true }),
  ratePerHour: PositiveNumber,
  duration: DurationDistribution,
  fanOut: Schema.optionalWith(CountDistribution, { exact: true }),
  profile: Schema.optionalWith(RateProfile, { exact: true }),
  start: Schema.optionalWith(DurationMs, { exact: true }),
  end: Schema.optionalWith(DurationMs, { exact: true })
}

/**
 * Runs arriving as a Poisson process of `ratePerHour` arrivals per hour,
 * shaped by `profile`. Each arrival starts `fanOut` runs at once, like a push
 * that starts many CI jobs. The fan-out draw is rounded and at least 1, and
 * an arrival starts one run when `fanOut` is absent.
 * Arrivals fall in [start, end), which defaults to the whole horizon.
 */
export const PoissonSource = Schema.Struct(PoissonFields).annotations(strictKeys).pipe(Schema.filter(inOrder))

const BurstFields = {
  kind: Schema.Literal("burst"),
  name: Schema.optionalWith(SourceName, { exact: true }),
  at: DurationMs,
  count: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  spread: Schema.optionalWith(DurationMs, { exact: true, default: () => 0 }),
  duration: DurationDistribution
}

/** `count` runs arriving uniformly over [at, at + spread); all at `at` when spread is zero. */
export const BurstSource = Schema.Struct(BurstFields).annotations(strictKeys)

/** Header names of the CSV columns that give a run's arrival and duration. */
export interface TraceColumns {
  readonly submit?: string
  readonly duration?: string
  readonly start?: string
  readonly end?: string
}

/** Columns a CSV trace is read with when the source names none: the normalised trace layout. */
export const DEFAULT_TRACE_COLUMNS: TraceColumns = { submit: "submit_ts", duration: "duration_s" }

/** The allowed sets of column keys, each sorted by name. */
const COLUMN_SHAPES = ["duration,submit", "end,start,submit", "end,start"]

const TraceColumnsSchema = Schema.Struct({
  submit: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true }),
  duration: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true }),
  start: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true }),
  end: Schema.optionalWith(Schema.NonEmptyTrimmedString, { exact: true })
})
  .annotations(strictKeys)
  .pipe(
    Schema.filter((columns) => {
      const named = Object.keys(columns).sort().join(",")
      return (
        COLUMN_SHAPES.includes(named) ||
        `expected columns {submit, duration}, {submit, start, end} or {start, end}, got {${named.split(",").join(", ")}}`
      )
    })
  )

const FilterValue = Schema.Union(Schema.String, Schema.Number)

/** Trace time, in seconds since the Unix epoch, decoded from a number or an ISO-8601 date. */
const TraceStartAt = Schema.transformOrFail(Schema.Union(Schema.Number, Schema.String), Schema.Number, {
  strict: true,
  decode: (input, _, ast) => {
    let seconds: number | undefined
    if (typeof input === "string") seconds = parseTraceStartAt(input)
    else if (Number.isFinite(input)) seconds = input
    return seconds === undefined
      ? ParseResult.fail(
          new ParseResult.Type(
            ast,
            input,
            `expected epoch seconds or an ISO-8601 date such as 2011-05-02 or 2011-05-02T08:00:00Z, got ${formatValue(input)}`
          )
        )
      : ParseResult.succeed(seconds)
  },
  encode: (seconds) => ParseResult.succeed(seconds)
})

const TraceFields = {
  kind: Schema.Literal("trace"),
  name: Schema.optionalWith(SourceName, { exact: true }),
  path: Schema.NonEmptyTrimmedString,
  format: Schema.optionalWith(Schema.Literal("csv", "swf"), { exact: true, default: () => "csv" as const }),
  columns: Schema.optionalWith(TraceColumnsSchema, { exact: true }),
  filter: Schema.optionalWith(
    Schema.Record({ key: Schema.String, value: Schema.Union(FilterValue, Schema.Array(FilterValue)) }),
    { exact: true }
  ),
  timeScale: Schema.optionalWith(PositiveNumber, { exact: true, default: () => 1 }),
  durationScale: Schema.optionalWith(PositiveNumber, { exact: true, default: () => 1 }),
  startAt: Schema.optionalWith(TraceStartAt, { exact: true })
}

/**
 * Runs replayed from a trace file, CSV or SWF, gzip-compressed or not. Times
 * in the file are seconds. `startAt` is the trace time that maps to
 * simulation time 0 (default: the first arrival in the file) and earlier rows
 * are dropped. `timeScale` multiplies arrival offsets only, so 0.5 replays
 * the arrivals twice as fast and leaves durations alone, while
 * `durationScale` multiplies durations. `filter` keeps rows whose cell, compared
 * as text, equals one of the listed values. CSV traces use header names, SWF
 * traces the field names of SWF_FIELDS.
 */
export const TraceSource = Schema.Struct(TraceFields)
  .annotations(strictKeys)
  .pipe(
    Schema.filter((source) =>
      source.format === "csv" ||
      source.columns === undefined || {
        path: ["columns"],
        message: "expected no columns for an SWF trace, whose fields are fixed by the format"
      }
    )
  )

/** Valid keys of each source kind, for messages that suggest the nearest key. */
export const WORKLOAD_SOURCE_KEYS: Readonly<Record<WorkloadSource["kind"], ReadonlyArray<string>>> = {
  poisson: Object.keys(PoissonFields),
  burst: Object.keys(BurstFields),
  trace: Object.keys(TraceFields)
}

/** Valid keys of `profile` and of a trace's `columns`. */
export const RATE_PROFILE_KEYS = ["hourOfDay", "dayOfWeek"] as const
export const TRACE_COLUMN_KEYS = ["submit", "duration", "start", "end"] as const

const WorkloadSourceInput = Schema.Union(PoissonSource, BurstSource, TraceSource)

type Named<T> = T extends unknown ? T & { readonly name: string } : never

/** One decoded workload source. `name` is the one given, or kind and index (`poisson-0`). */
export type WorkloadSource = Named<typeof WorkloadSourceInput.Type>
export type PoissonSource = Extract<WorkloadSource, { readonly kind: "poisson" }>
export type BurstSource = Extract<WorkloadSource, { readonly kind: "burst" }>
export type TraceSource = Extract<WorkloadSource, { readonly kind: "trace" }>

const NamedSources = Schema.declare(
  (input: unknown): input is ReadonlyArray<WorkloadSource> => Array.isArray(input),
  { identifier: "WorkloadSources" }
)

/**
 * The `workload` list of a scenario file. Decoding rejects unknown keys,
 * fills in defaults and names every source, and rejects two sources with the
 * same name because skipped-row counts are keyed by name.
 */
export const WorkloadSection = Schema.transformOrFail(Schema.Array(WorkloadSourceInput), NamedSources, {
  strict: true,
  decode: (sources, _, ast) => {
    const named = sources.map((source, index) => ({ ...source, name: source.name ?? `${source.kind}-${index}` }))
    const seen = new Map<string, number>()
    for (const [index, source] of named.entries()) {
      const first = seen.get(source.name)
      if (first !== undefined) {
        return ParseResult.fail(
          new ParseResult.Pointer(
            [index, "name"],
            source.name,
            new ParseResult.Type(ast, source.name, `expected a unique source name, but "${source.name}" is also source ${first}`)
          )
        )
      }
      seen.set(source.name, index)
    }
    return ParseResult.succeed(named as ReadonlyArray<WorkloadSource>)
  },
  encode: (sources) => ParseResult.succeed(sources)
})
