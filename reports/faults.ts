/**
 * Fault windows as the reports take them. The simulator's fault schema
 * produces the same shape, but reports import only `core`, so the caller
 * converts its faults and passes the windows in.
 */

/** One injected fault's span in simulated time, for shading timelines and listing in the report. */
export interface FaultWindow {
  /** The fault's kind, for example `cloudErrors` or `replicaCrash`. Shown as its label. */
  readonly kind: string
  /** Start, in milliseconds since the simulation start. */
  readonly at: number
  /** End, exclusive, in milliseconds since the simulation start. Equal to `at` for a fault that happens at one instant. */
  readonly until: number
}

/**
 * Checks every window and returns the list unchanged. Throws a RangeError
 * that names the window's index and kind when `kind` is empty, `at` is not a
 * finite number of at least 0, or `until` is not finite or is before `at`.
 */
export const validateFaultWindows = (windows: ReadonlyArray<FaultWindow>): ReadonlyArray<FaultWindow> => {
  windows.forEach((window, index) => {
    const where = `fault window #${index} (${JSON.stringify(window.kind)})`
    if (typeof window.kind !== "string" || window.kind.length === 0) {
      throw new RangeError(`Invalid ${where}: expected a non-empty fault kind such as cloudErrors.`)
    }
    if (!Number.isFinite(window.at) || window.at < 0) {
      throw new RangeError(`Invalid ${where}: at=${window.at} ms, expected a finite number of milliseconds of at least 0.`)
    }
    if (!Number.isFinite(window.until) || window.until < window.at) {
      throw new RangeError(
        `Invalid ${where}: until=${window.until} ms, expected a finite number of milliseconds of at least at=${window.at}.`
      )
    }
  })
  return windows
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
  ["ms", 1]
]

/**
 * Formats milliseconds, rounded to whole milliseconds, as days, hours,
 * minutes, seconds and milliseconds with zero parts left out: `2h30m`,
 * `1d4h`, `15s`, `1s500ms`, and `0s` for zero. Throws a RangeError for a
 * negative or non-finite value.
 */
export const formatElapsedMs = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid duration ${ms} ms: expected a finite number of at least 0.`)
  let rest = Math.round(ms)
  if (rest === 0) return "0s"
  let text = ""
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size)
    if (count > 0) text += `${count}${unit}`
    rest -= count * size
  }
  return text
}
