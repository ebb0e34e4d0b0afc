import { Data } from "effect"

/**
 * Bad input from a user: a scenario file, a trace, or a command-line value.
 * `message` is complete: it names the file, the line or key path, the value
 * and what is expected. Commands print it alone and exit with code 2.
 */
export class InputError extends Data.TaggedError("InputError")<{
  readonly message: string
}> {}

/** Edit distance between two strings, for "did you mean" suggestions. */
export const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]!
}

/** The candidate closest to `key`, when it is close enough to be a likely typo. */
export const nearestKey = (key: string, candidates: ReadonlyArray<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(key, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}
