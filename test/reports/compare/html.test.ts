import { describe, expect, it } from "vitest"
import { renderCompareCharts } from "../../../reports/compare/charts.js"
import { renderCompareHtml } from "../../../reports/compare/html.js"
import { pngSize } from "../png.js"
import { comparison } from "./support.js"

describe("compare report", () => {
  it("charts are PNGs of report size", () => {
    const charts = renderCompareCharts(comparison())
    expect(charts.map((chart) => chart.name)).toEqual(["cost", "cost-vs-p95"])
    for (const chart of charts) expect(pngSize(chart.png)).toEqual({ width: 1000, height: 400 })
  })

  it("charts without a p95 bound render", () => {
    const charts = renderCompareCharts(comparison({ p95Bound: undefined }))
    expect(charts).toHaveLength(2)
    // The bound line changes the scatter chart.
    expect(charts[1]!.png.equals(renderCompareCharts(comparison())[1]!.png)).toBe(false)
  })

  it("html is self-contained", () => {
    const html = renderCompareHtml(comparison(), renderCompareCharts(comparison()))
    expect(html).toMatch(/^<!DOCTYPE html>/)
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2)
    expect(html).not.toMatch(/(src|href)="(?!data:)/)
    expect(html).not.toContain("<script")
    expect(html).toContain("<h1>Policy comparison: steady</h1>")
  })

  it("html table has reference rows", () => {
    const html = renderCompareHtml(comparison(), [])
    const rows = html.match(/<tr[^>]*><th scope="row">[^<]+<\/th>/g) ?? []
    expect(rows).toEqual([
      '<tr><th scope="row">queue-depth</th>',
      '<tr><th scope="row">buildkite</th>',
      '<tr class="reference"><th scope="row">clairvoyant</th>',
      '<tr class="reference"><th scope="row">floor</th>'
    ])
  })

  it("html escapes text", () => {
    const html = renderCompareHtml(comparison({ scenario: "<b>&", commandLine: "runner-pool compare 'a<b'" }), [])
    expect(html).toContain("Policy comparison: &lt;b&gt;&amp;")
    expect(html).toContain("runner-pool compare &#39;a&lt;b&#39;")
    expect(html).not.toContain("<b>&")
  })
})
