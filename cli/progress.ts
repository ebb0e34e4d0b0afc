/**
 * A one-line progress bar on standard error, drawn only when standard error
 * is a terminal, so logs and CI output stay clean.
 */
export interface ProgressBar {
  readonly update: (share: number) => void
  readonly done: () => void
}

const WIDTH = 30

export const makeProgressBar = (label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar => {
  if (!stream.isTTY) return { update: () => {}, done: () => {} }
  const started = performance.now()
  let lastDrawn = -1
  const draw = (share: number): void => {
    const percent = Math.min(100, Math.floor(share * 100))
    if (percent === lastDrawn) return
    lastDrawn = percent
    const filled = Math.round((percent / 100) * WIDTH)
    const elapsed = (performance.now() - started) / 1000
    const eta = share > 0.01 ? ` ETA ${Math.ceil((elapsed / share) * (1 - share))}s` : ""
    stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${percent}%${eta}\x1b[K`)
  }
  return {
    update: draw,
    done: () => {
      if (lastDrawn >= 0) stream.write("\r\x1b[K")
    }
  }
}
