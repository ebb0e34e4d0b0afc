import { describe, expect, it } from "vitest"
import { formatValue } from "../../core/formatValue.js"

describe("formatValue", () => {
  it.each([
    [Infinity, "Infinity"],
    [-Infinity, "-Infinity"],
    [NaN, "NaN"],
    [2, "2"],
    ["5x", '"5x"'],
    [null, "null"],
    [undefined, "undefined"],
    [{ min: 1 }, '{"min":1}']
  ])("writes %s as %s", (value, text) => {
    expect(formatValue(value)).toBe(text)
  })
})
