import { describe, expect, it } from "vitest"
import { formatElapsedMs, validateFaultWindows } from "../../reports/faults.js"

describe("formatElapsedMs", () => {
  it.each([
    [0, "0s"],
    [1, "1ms"],
    [1_500, "1s500ms"],
    [15_000, "15s"],
    [9_000_000, "2h30m"],
    [90_061_001, "1d1h1m1s1ms"],
    [172_800_000, "2d"],
    [1_499.6, "1s500ms"]
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatElapsedMs(ms)).toBe(text)
  })

  it("rejects negative and infinite values", () => {
    expect(() => formatElapsedMs(-1)).toThrow(/Invalid duration -1 ms/)
    expect(() => formatElapsedMs(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})

describe("validateFaultWindows", () => {
  it("accepts lasting and instant windows", () => {
    const windows = [
      { kind: "cloudErrors", at: 0, until: 10 },
      { kind: "replicaCrash", at: 5, until: 5 }
    ]
    expect(validateFaultWindows(windows)).toBe(windows)
  })

  it("names the invalid window", () => {
    expect(() => validateFaultWindows([{ kind: "a", at: 0, until: 1 }, { kind: "b", at: 3, until: 2 }])).toThrow(
      /fault window #1 \("b"\): until=2 ms, expected .* at least at=3/
    )
    expect(() => validateFaultWindows([{ kind: "a", at: -5, until: 1 }])).toThrow(/at=-5 ms/)
    expect(() => validateFaultWindows([{ kind: "", at: 0, until: 1 }])).toThrow(/non-empty fault kind/)
  })
})
