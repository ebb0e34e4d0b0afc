/** The self-contained HTML report of a policy comparison (report.html). */
import type { RenderedChart } from "../charts.js"
import { escapeHtml } from "../html.js"
import type { Comparison } from "./model.js"
import { COMPARE_COLUMNS, compareHeader, compareRows } from "./table.js"

// Only inline styles and data: images may load, as in the simulation report.
const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

const STYLE = `
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 1240px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { color: #555; }
dd { margin: 0; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; }
th[scope="row"] { text-align: left; font-weight: normal; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td.text { text-align: left; }
thead th { background: #f4f4f4; }
tr.reference th, tr.reference td { color: #555; background: #fafafa; }
.note { color: #555; font-size: 0.85rem; }
figure { margin: 1rem 0 2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
code { font-size: 0.85rem; }
`

const tableHtml = (comparison: Comparison): string => {
  const head = `<thead><tr>${COMPARE_COLUMNS.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join("")}</tr></thead>`
  const references = new Set(["clairvoyant", "floor"])
  const body = compareRows(comparison)
    .map((cells, index) => {
      const [label, settings, ...values] = cells
      const isReference = index >= comparison.rows.length && references.has(label!)
      const row =
        `<th scope="row">${escapeHtml(label!)}</th><td class="text">${escapeHtml(settings!)}</td>` +
        values.map((value) => `<td>${escapeHtml(value)}</td>`).join("")
      return `<tr${isReference ? ' class="reference"' : ""}>${row}</tr>`
    })
    .join("\n")
  return `<table>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`
}

const figure = (chart: RenderedChart): string => {
  const title = escapeHtml(chart.title)
  return (
    `<figure id="chart-${escapeHtml(chart.name)}">\n` +
    `<img src="data:image/png;base64,${chart.png.toString("base64")}" alt="${title}">\n<figcaption>${title}</figcaption>\n</figure>`
  )
}

/**
 * Renders report.html: the header (scenario, seeds, SLO, budget, command
 * line), the comparison table with the reference rows, and the charts
 * inlined as data: URIs. It loads nothing from the network or the disk,
 * needs no JavaScript, and escapes all text.
 */
export const renderCompareHtml = (comparison: Comparison, charts: ReadonlyArray<RenderedChart>): string => {
  const scenario = escapeHtml(comparison.scenario)
  const header = compareHeader(comparison)
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${label === "Command" ? `<code>${escapeHtml(value)}</code>` : escapeHtml(value)}</dd>`)
    .join("\n")
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>runner-pool policy comparison: ${scenario}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>Policy comparison: ${scenario}</h1>
<dl>
${header}
</dl>

<h2>Tuned policies</h2>
${tableHtml(comparison)}
<p class="note">Each policy row is the cheapest configuration of that policy's own knobs found to meet the SLO on every seed, or the closest when none did. Metrics are means over the seeds. The clairvoyant row is a zero-wait schedule that knows every arrival in advance; the floor is the runs' total run time, which no pool that serves every run undercuts.</p>

<h2>Charts</h2>
${charts.map(figure).join("\n")}
</body>
</html>
`
}
