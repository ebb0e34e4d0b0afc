import { Data } from "effect"

/**
 * Bad input from a user: a scenario file, a trace, or a command-line value.
 * `message` is complete: it names the file, the line or key path, the value
 * and what is expected. Commands print it alone and exit with code 2.
 */
export class InputError extends Data.TaggedError("InputError")<{
  readonly message: string
}> {}

/** Levenshtein distance between two strings, ignoring case: the insertions, deletions and substitutions that turn one into the other. */
export const editDistance = (a: string, b: string): number => {
  const left = a.toLowerCase()
  const right = b.toLowerCase()
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j)
  for (let i = 1; i <= left.length; i++) {
    const current = [i]
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution)
    }
    previous = current
  }
  return previous[right.length]!
}

/**
 * Returns the valid key that `key` was most likely meant to be, for "did you
 * mean" hints: the only candidate that starts with `key` (`rate` for
 * `ratePerHour`) when `key` has at least 3 characters, or else the closest
 * candidate by edit distance, ignoring case. Returns `undefined` when no
 * candidate is within max(2, a third of the key's length) edits.
 */
export const nearestKey = (key: string, candidates: ReadonlyArray<string>): string | undefined => {
  const lower = key.toLowerCase()
  const extensions = candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower))
  if (lower.length >= 3 && extensions.length === 1) return extensions[0]

  const limit = Math.max(2, Math.floor(key.length / 3))
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(key, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= limit ? best : undefined
}
