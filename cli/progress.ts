/**
 * Progress of a long command on standard error. On a terminal it is a
 * one-line bar redrawn in place. Elsewhere it is silent, so logs and CI
 * output stay clean. A command that sets `plainLines` gets a plain line
 * every `PLAIN_LINE_STEP` percent there instead.
 */
export interface ProgressBar {
  /** Draws the share of the work done, from 0 to 1, with an optional `detail` such as `3/12 runs` after the percentage. */
  readonly update: (share: number, detail?: string) => void
  readonly done: () => void
}

/** Options of `makeProgressBar`. */
export interface ProgressBarOptions {
  /**
   * When the stream is not a terminal, print a plain line such as
   * `sweep: 20% 100/500 runs, ETA 14m 5s` every `PLAIN_LINE_STEP` percent,
   * for commands that run long enough for a CI log to need a sign of life.
   */
  readonly plainLines?: boolean
}

const WIDTH = 30

/** Percent between two plain progress lines. */
export const PLAIN_LINE_STEP = 10

export const makeProgressBar = (
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  options: ProgressBarOptions = {}
): ProgressBar => {
  const started = performance.now()
  const remaining = (share: number): string => {
    if (share <= 0.01) return ""
    const elapsedSeconds = (performance.now() - started) / 1000
    return formatSeconds((elapsedSeconds / share) * (1 - share))
  }

  if (!stream.isTTY) {
    if (options.plainLines !== true) return { update: () => {}, done: () => {} }
    let lastStep = 0
    return {
      update: (share, detail) => {
        const step = Math.floor((Math.min(1, share) * 100) / PLAIN_LINE_STEP)
        if (step <= lastStep || step * PLAIN_LINE_STEP >= 100) return
        lastStep = step
        const eta = remaining(share)
        stream.write(`${label}: ${step * PLAIN_LINE_STEP}%${detail === undefined ? "" : ` ${detail}`}${eta === "" ? "" : `, ETA ${eta}`}\n`)
      },
      done: () => {}
    }
  }

  let lastDrawn = -1
  let lastDetail: string | undefined
  const draw = (share: number, detail?: string): void => {
    const percent = Math.min(100, Math.floor(share * 100))
    if (percent === lastDrawn && detail === lastDetail) return
    lastDrawn = percent
    lastDetail = detail
    const filled = Math.round((percent / 100) * WIDTH)
    const eta = remaining(share)
    const suffix = detail === undefined ? "" : ` ${detail}`
    stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${percent}%${suffix}${eta === "" ? "" : ` ETA ${eta}`}\x1b[K`)
  }
  return {
    update: draw,
    done: () => {
      if (lastDrawn >= 0) stream.write("\r\x1b[K")
    }
  }
}

/** Formats a duration in seconds as `45s`, `14m 5s` or `2h 3m`. */
export const formatSeconds = (seconds: number): string => {
  const whole = Math.ceil(seconds)
  if (whole < 60) return `${whole}s`
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${whole % 60}s`
  return `${Math.floor(whole / 3600)}h ${Math.floor((whole % 3600) / 60)}m`
}
