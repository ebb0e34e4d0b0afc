import { Either, ParseResult, Schema } from "effect"
import { formatValue } from "./formatValue.js"

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y

/**
 * Parses a duration written as one or more number-unit pairs (`90s`, `5m`,
 * `1h30m`, `7d`, `250ms`) into milliseconds. Returns `undefined` when the
 * text is not such a duration.
 */
export const parseDurationMs = (text: string): number | undefined => {
  const trimmed = text.trim()
  if (trimmed.length === 0) return undefined
  let total = 0
  PART.lastIndex = 0
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex
    const match = PART.exec(trimmed)
    if (match === null || match.index !== start) return undefined
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
  }
  return total
}

/** Formats milliseconds as the shortest exact duration text, `off` for infinity. */
export const formatDurationMs = (ms: number): string => {
  if (ms === Infinity) return "off"
  if (ms === 0) return "0s"
  for (const unit of ["w", "d", "h", "m", "s"] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`
  }
  return `${ms}ms`
}

const EXPECTED = "a duration such as 90s, 5m, 1h30m, 48h or 7d"

/**
 * A duration in milliseconds, written in documents as text (`90s`, `5m`,
 * `48h`, `7d`). A bare number is taken as milliseconds.
 */
export const DurationMs = Schema.transformOrFail(
  Schema.Union(Schema.String, Schema.Number),
  Schema.Number,
  {
    strict: true,
    decode: (input, _, ast) => {
      if (typeof input === "number") {
        return Number.isFinite(input) && input >= 0
          ? ParseResult.succeed(input)
          : ParseResult.fail(new ParseResult.Type(ast, input, `expected ${EXPECTED}, got ${input}`))
      }
      const ms = parseDurationMs(input)
      return ms === undefined
        ? ParseResult.fail(new ParseResult.Type(ast, input, `expected ${EXPECTED}, got "${input}"`))
        : ParseResult.succeed(ms)
    },
    encode: (ms) => ParseResult.succeed(formatDurationMs(ms))
  }
).annotations({ identifier: "Duration", description: EXPECTED })

/**
 * A timeout or age limit in milliseconds that can be switched off. `off` in
 * a document decodes to `Infinity`, so comparisons need no special case.
 */
export const OptionalLimitMs = Schema.transformOrFail(
  Schema.Union(Schema.String, Schema.Number),
  Schema.Number,
  {
    strict: true,
    decode: (input, options, ast) =>
      input === "off"
        ? ParseResult.succeed(Infinity)
        : Either.isRight(Schema.decodeUnknownEither(DurationMs)(input))
          ? ParseResult.decodeUnknown(DurationMs)(input, options)
          : ParseResult.fail(
              new ParseResult.Type(ast, input, `expected ${EXPECTED}, or off, got ${formatValue(input)}`)
            ),
    encode: (ms) => ParseResult.succeed(formatDurationMs(ms))
  }
).annotations({ identifier: "DurationOrOff", description: `${EXPECTED}, or off` })
