/** Statistics of one metric over the seeds of a configuration. */
export interface Statistics {
  readonly mean: number
  /** Sample standard deviation (divisor n - 1), 0 for a single value. */
  readonly sd: number
  readonly min: number
  readonly max: number
}

/**
 * Computes the mean, sample standard deviation (divisor n - 1), minimum and
 * maximum of `values`. The standard deviation of a single value is 0.
 * Throws a RangeError for an empty list or a value that is NaN or infinite.
 */
export const aggregate = (values: ReadonlyArray<number>): Statistics => {
  if (values.length === 0) throw new RangeError("Cannot aggregate an empty list of values: expected at least one value.")
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (const [index, value] of values.entries()) {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot aggregate value ${value} at index ${index}: expected a finite number.`)
    sum += value
    min = Math.min(min, value)
    max = Math.max(max, value)
  }
  const mean = sum / values.length

  // Two passes, because the one-pass formula loses precision when the values are large and close together.
  let squares = 0
  for (const value of values) squares += (value - mean) ** 2
  const sd = values.length === 1 ? 0 : Math.sqrt(squares / (values.length - 1))
  return { mean, sd, min, max }
}
