import { ParseResult, Schema } from "effect"
import { DurationMs, formatDurationMs } from "../../core/duration.js"
import type { Distribution } from "../distribution.js"

/** Valid keys of each distribution kind, for messages that suggest the nearest key. */
export const DISTRIBUTION_KEYS = {
  constant: ["kind", "value"],
  exponential: ["kind", "mean"],
  lognormal: ["kind", "median", "p95"],
  uniform: ["kind", "min", "max"],
  empirical: ["kind", "quantiles"]
} as const satisfies Record<Distribution["kind"], ReadonlyArray<string>>

/** Makes a struct reject keys it does not declare, whatever options the caller decodes with. */
export const strictKeys = { parseOptions: { onExcessProperty: "error" } } as const

const QUANTILE_KEY = /^p(\d{1,3}(?:\.\d+)?)$/

/** A quantile key `pNN`, NN a percentage from 0 to 100 (`p0`, `p50`, `p99.9`, `p100`). */
const QuantileKey = Schema.String.pipe(
  Schema.filter((key) => {
    const match = QUANTILE_KEY.exec(key)
    const percent = match === null ? NaN : Number(match[1])
    return (percent >= 0 && percent <= 100) || `expected a quantile key p0 to p100 such as p50, got "${key}"`
  })
)

const EmpiricalQuantiles = Schema.Array(Schema.Tuple(Schema.Number, Schema.Number))

/**
 * Builds the schema of a distribution whose values decode with `value`:
 * durations (`DurationMs`, so "3m" or a number of milliseconds) or plain
 * counts. It decodes to the `Distribution` type of sim/distribution.ts, with
 * empirical quantiles as `[probability, value]` pairs sorted by probability.
 */
export const distributionSchema = <I>(
  value: Schema.Schema<number, I>,
  unit: string,
  show: (value: number) => string
) => {
  const positive = value.pipe(
    Schema.filter((x) => x > 0 || `expected ${unit} greater than zero, got ${show(x)}`)
  )

  const Constant = Schema.Struct({ kind: Schema.Literal("constant"), value }).annotations(strictKeys)

  const Exponential = Schema.Struct({ kind: Schema.Literal("exponential"), mean: positive }).annotations(strictKeys)

  const Lognormal = Schema.Struct({ kind: Schema.Literal("lognormal"), median: positive, p95: value })
    .annotations(strictKeys)
    .pipe(
      Schema.filter((d) =>
        d.p95 >= d.median || {
          path: ["p95"],
          message: `expected p95 at least the median (${show(d.median)}), got ${show(d.p95)}`
        }
      )
    )

  const Uniform = Schema.Struct({ kind: Schema.Literal("uniform"), min: value, max: value })
    .annotations(strictKeys)
    .pipe(
      Schema.filter((d) =>
        d.min <= d.max || { path: ["max"], message: `expected max at least min (${show(d.min)}), got ${show(d.max)}` }
      )
    )

  const EmpiricalInput = Schema.Struct({
    kind: Schema.Literal("empirical"),
    quantiles: Schema.Record({ key: QuantileKey, value })
  }).annotations(strictKeys)

  const Empirical = Schema.transformOrFail(
    EmpiricalInput,
    Schema.Struct({ kind: Schema.Literal("empirical"), quantiles: EmpiricalQuantiles }),
    {
      strict: true,
      decode: (input, _, ast) => {
        const points = Object.entries(input.quantiles)
          // `${percent}e-2` parses to the double nearest to the probability, where
          // dividing by 100 would turn p99.9 into 0.9990000000000001.
          .map(([key, quantile]) => ({ key, probability: Number(`${key.slice(1)}e-2`), quantile }))
          .sort((a, b) => a.probability - b.probability)
        if (points.length < 2) {
          return ParseResult.fail(
            new ParseResult.Pointer(
              "quantiles",
              input.quantiles,
              new ParseResult.Type(ast, input.quantiles, `expected at least two quantiles such as p0 and p100, got ${points.length}`)
            )
          )
        }
        for (let i = 1; i < points.length; i++) {
          const previous = points[i - 1]!
          const point = points[i]!
          if (point.probability === previous.probability) {
            return ParseResult.fail(
              new ParseResult.Pointer(
                ["quantiles", point.key],
                point.quantile,
                new ParseResult.Type(ast, point.quantile, `expected each quantile once, but ${previous.key} and ${point.key} are the same quantile`)
              )
            )
          }
          if (point.quantile < previous.quantile) {
            return ParseResult.fail(
              new ParseResult.Pointer(
                ["quantiles", point.key],
                point.quantile,
                new ParseResult.Type(
                  ast,
                  point.quantile,
                  `expected values that do not decrease, but ${point.key} (${show(point.quantile)}) is below ${previous.key} (${show(previous.quantile)})`
                )
              )
            )
          }
        }
        return ParseResult.succeed({
          kind: "empirical" as const,
          quantiles: points.map((point) => [point.probability, point.quantile] as const)
        })
      },
      encode: (distribution) =>
        ParseResult.succeed({
          kind: "empirical" as const,
          quantiles: Object.fromEntries(
            distribution.quantiles.map(([probability, quantile]) => [`p${Number((probability * 100).toFixed(6))}`, quantile])
          )
        })
    }
  )

  return Schema.Union(Constant, Exponential, Lognormal, Uniform, Empirical).annotations({
    identifier: `Distribution of ${unit}`
  })
}

/** A distribution of durations, in milliseconds once decoded ("3m" or a number of ms in documents). */
export const DurationDistribution = distributionSchema(DurationMs, "a duration", formatDurationMs)

/** A distribution of plain non-negative counts, such as runs per push. */
export const CountDistribution = distributionSchema(
  Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  "a count",
  String
)
