import { describe, expect, it } from "vitest"
import { renderChartPngs } from "../../reports/charts.js"
import { escapeHtml, renderReportHtml } from "../../reports/html.js"
import { replicaFaults, replicaMetrics, replicaSummary, tenHourMetrics, tenHourSummary } from "./fixtures.js"

const settings = { pool: { min: 1, max: 10 }, workload: { name: "a < b & c" } }

// Charts are left out unless a test needs them, so a failed text check prints a short page.
const render = (scenario = "ten-hour", violations: Parameters<typeof tenHourSummary>[1] = [], withCharts = false) => {
  const summary = tenHourSummary(scenario, violations)
  const charts = withCharts ? renderChartPngs(tenHourMetrics(), summary) : []
  return renderReportHtml({ summary, settings, charts })
}

describe("renderReportHtml", () => {
  it("references no URL", () => {
    const html = render("ten-hour", [], true)
    // Matches are compared, not the whole page, so a failure prints the offending text only.
    expect(html.match(/https?:\/\/[^"'\s<]*/i)?.[0]).toBeUndefined()
    expect(html.match(/<script[^>]*>/i)?.[0]).toBeUndefined()
    expect(html.match(/url\([^)]*\)/i)?.[0]).toBeUndefined()
    expect(html.match(/@import[^;]*/i)?.[0]).toBeUndefined()
  })

  it("inlines every image as a data URI", () => {
    const html = render("ten-hour", [], true)
    const sources = [...html.matchAll(/\ssrc="([^"]*)"/g)].map((match) => match[1]!)
    expect(sources).toHaveLength(5)
    for (const source of sources) expect(source.startsWith("data:image/png;base64,iVBORw0KGgo")).toBe(true)
    const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((match) => match[1]!)
    for (const href of hrefs) expect(href.startsWith("data:")).toBe(true)
  })

  it("escapes the scenario name", () => {
    const html = render(`<script>alert("x")</script> & 'co'`)
    expect(html.includes("<script>")).toBe(false)
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;")
  })

  it("escapes settings text", () => {
    const html = render()
    expect(html).toContain("&quot;a &lt; b &amp; c&quot;")
    expect(html).toContain("&quot;max&quot;: 10")
  })

  it("prints the seed and scenario", () => {
    const html = render("nightly")
    expect(html).toContain("<h1>Scenario nightly</h1>")
    expect(html).toContain("Seed <strong>42</strong>")
    expect(html).toContain("<title>runner-pool report: nightly (seed 42)</title>")
  })

  it("shows summary and removal tables", () => {
    const html = render()
    expect(html).toContain("<caption>Runs</caption>")
    expect(html).toContain(`<tr><th scope="row">p99</th><td>14400</td></tr>`)
    expect(html).toContain(`<tr><th scope="row">hours total</th><td>20.5</td></tr>`)
    expect(html).toContain(`<tr><th scope="row">cost</th><td>41</td></tr>`)
    expect(html).toContain("<caption>Runners removed, by reason</caption>")
    expect(html).toContain(`<tr><th scope="row">createTimeout</th><td>1</td></tr>`)
    expect(html).toContain(`<tr><th scope="row">badDuration</th><td>1</td></tr>`)
  })

  it("says none without violations", () => {
    expect(render()).toContain(`<h2>Violations</h2>\n<p class="ok">none</p>`)
  })

  it("lists violations in a table", () => {
    const html = render("v", [{ invariant: "noRunOnTainted", at: 1500, ids: ["r1", "7"], detail: "run <7> started" }])
    expect(html).toContain("<caption>Invariant violations (1)</caption>")
    expect(html).toContain(`<thead><tr><th scope="col">invariant</th><th scope="col">at</th><th scope="col">ids</th><th scope="col">detail</th></tr></thead>`)
    expect(html).toContain(`<tr><th scope="row">noRunOnTainted</th><td>1s500ms</td><td>r1, 7</td><td>run &lt;7&gt; started</td></tr>`)
  })

  it("says none without faults", () => {
    expect(render()).toContain(`<h2>Faults</h2>\n<p class="note">No fault was injected.</p>`)
  })

  it("lists fault windows with durations", () => {
    const html = renderReportHtml({ summary: replicaSummary(), settings, charts: [], faults: replicaFaults() })
    expect(html).toContain("<caption>Injected faults (3)</caption>")
    expect(html).toContain(`<th scope="col">kind</th><th scope="col">start</th><th scope="col">end</th><th scope="col">duration</th>`)
    expect(html).toContain(`<tr><th scope="row">controlPlaneOutage</th><td>15s</td><td>30s</td><td>15s</td></tr>`)
    expect(html).toContain(`<tr><th scope="row">cloudErrors</th><td>20s</td><td>1m</td><td>40s</td></tr>`)
    expect(html).toContain(`<tr><th scope="row">replicaCrash</th><td>40s</td><td>40s</td><td>instant</td></tr>`)
    // Listed in the order given, and before the violations.
    expect(html.indexOf("controlPlaneOutage")).toBeLessThan(html.indexOf("replicaCrash"))
    expect(html.indexOf("<h2>Faults</h2>")).toBeLessThan(html.indexOf("<h2>Violations</h2>"))
  })

  it("escapes fault kinds", () => {
    const faults = [{ kind: "<b>odd</b>", at: 0, until: 9_000_000 }]
    const html = renderReportHtml({ summary: replicaSummary(), settings, charts: [], faults })
    expect(html).toContain(`<tr><th scope="row">&lt;b&gt;odd&lt;/b&gt;</th><td>0s</td><td>2h30m</td><td>2h30m</td></tr>`)
  })

  it("rejects an invalid fault window", () => {
    const faults = [{ kind: "listLag", at: 5, until: Number.NaN }]
    expect(() => renderReportHtml({ summary: replicaSummary(), settings, charts: [], faults })).toThrow(/until=NaN ms/)
  })

  it("shows the replicas table", () => {
    const html = renderReportHtml({ summary: replicaSummary(), settings, charts: [] })
    expect(html).toContain("<caption>Replicas</caption>")
    expect(html).toContain(`<tr><th scope="row">leader changes</th><td>3</td></tr>`)
    expect(html).toContain(`<tr><th scope="row">tainted replicas</th><td>1</td></tr>`)
    expect(html).toContain(`<tr><th scope="row">seconds without leader</th><td>20</td></tr>`)
  })

  it("shows the replicas chart", () => {
    const summary = replicaSummary()
    const charts = renderChartPngs(replicaMetrics(), summary, replicaFaults())
    const html = renderReportHtml({ summary, settings, charts, faults: replicaFaults() })
    expect(html).toContain(`<figure id="chart-replicas">`)
    expect(html).toContain("<figcaption>Replicas by status (3 leader changes, 1 tainted, 20.0 s without leader)</figcaption>")
  })

  it("captions every chart", () => {
    const html = render("ten-hour", [], true)
    for (const name of ["runners", "queue", "waits", "scale-events", "cost"]) {
      expect(html).toContain(`<figure id="chart-${name}">`)
    }
    expect(html).toContain("<figcaption>Wait time CDF (3 acquired runs)</figcaption>")
  })

  it("rejects settings that are not JSON", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const summary = tenHourSummary()
    expect(() => renderReportHtml({ summary, settings: cyclic, charts: [] })).toThrow(/cannot be serialized as JSON/)
  })
})

describe("escapeHtml", () => {
  it("escapes the five special characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
  })
})
