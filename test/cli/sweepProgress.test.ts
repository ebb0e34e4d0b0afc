import { describe, expect, it } from "vitest"
import { makeSweepProgress } from "../../cli/sweep/progress.js"

/** Creates a fake terminal that records what is written to it. */
const terminal = (isTTY = true) => {
  const writes: Array<string> = []
  const stream = { isTTY, columns: 80, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream
  return { writes, stream }
}

/** The ANSI code that erases to the end of the line, written after every bar. */
const ERASE_TO_END = "\x1b[K"

const job = (index: number) => ({ index, file: "steady.yaml", seed: 1 })

/** The bar text without the carriage return, the erase code and the ETA, which depends on the clock. */
const barOf = (write: string | undefined) => write?.replace(/^\r/, "").replace(ERASE_TO_END, "").replace(/ ETA [\dhms ]+$/, "")

describe("sweep progress bar", () => {
  it("counts finished and running shares", () => {
    const { writes, stream } = terminal()
    const progress = makeSweepProgress(4, stream)
    progress.started(job(0))
    expect(barOf(writes.at(-1))).toBe(`sweep [${"-".repeat(30)}] 0% 0/4 runs`)

    progress.progressed(job(0), 0.5)
    expect(barOf(writes.at(-1))).toBe(`sweep [####${"-".repeat(26)}] 12% 0/4 runs`)

    progress.finished(job(0))
    expect(barOf(writes.at(-1))).toBe(`sweep [########${"-".repeat(22)}] 25% 1/4 runs`)

    progress.started(job(1))
    progress.started(job(2))
    progress.progressed(job(1), 1)
    progress.progressed(job(2), 1)
    expect(barOf(writes.at(-1))).toBe(`sweep [#######################${"-".repeat(7)}] 75% 1/4 runs`)
  })

  it("shows an ETA once work is done", () => {
    const { writes, stream } = terminal()
    const progress = makeSweepProgress(2, stream)
    progress.started(job(0))
    progress.finished(job(0))
    expect(writes.at(-1)!.endsWith(ERASE_TO_END)).toBe(true)
    expect(writes.at(-1)!.replace(ERASE_TO_END, "")).toMatch(/ 50% 1\/2 runs ETA \d+s$/)
  })

  it("ignores progress of unknown jobs", () => {
    const { writes, stream } = terminal()
    const progress = makeSweepProgress(2, stream)
    progress.progressed(job(5), 0.9)
    expect(writes).toEqual([])
  })

  it("clear erases the line", () => {
    const { writes, stream } = terminal()
    const progress = makeSweepProgress(1, stream)
    progress.started(job(0))
    progress.clear()
    expect(writes.at(-1)).toBe("\r\x1b[K")
  })

  it("prints plain lines off a terminal", () => {
    const { writes, stream } = terminal(false)
    const progress = makeSweepProgress(4, stream)
    progress.started(job(0))
    progress.progressed(job(0), 0.2)
    progress.finished(job(0))
    progress.started(job(1))
    progress.finished(job(1))
    progress.clear()
    expect(writes.map((line) => line.replace(/, ETA [\dhms ]+\n$/, "\n"))).toEqual(["sweep: 20% 1/4 runs\n", "sweep: 50% 2/4 runs\n"])
  })
})
