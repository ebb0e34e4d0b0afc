import { REMOVAL_REASONS } from "../core/model.js"
import { formatElapsedMs, validateFaultWindows, type FaultWindow } from "./faults.js"
import type { Summary } from "./summary.js"

/** A chart to show in the report. */
export interface ReportChart {
  /** File stem, for example `runners`. The figure's element id is `chart-<name>`. */
  readonly name: string
  /** Caption shown under the image. */
  readonly title: string
  readonly png: Buffer
}

/** Input of `renderReportHtml`. */
export interface ReportInput {
  readonly summary: Summary
  /** The scenario's settings blocks (pool, cloud, runners, workload) as plain JSON data. */
  readonly settings: unknown
  readonly charts: ReadonlyArray<ReportChart>
  /** Faults injected into the run, listed in the Faults section in this order. None when absent. */
  readonly faults?: ReadonlyArray<FaultWindow> | undefined
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
}

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!)

type Cell = string | number

/** Builds a table whose first cell in each row is a row header. Key-value tables pass no `head`. */
const table = (
  caption: string,
  head: ReadonlyArray<string> | undefined,
  rows: ReadonlyArray<ReadonlyArray<Cell>>
): string => {
  const headRow =
    head === undefined
      ? ""
      : `<thead><tr>${head.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join("")}</tr></thead>\n`
  const bodyRows = rows
    .map((row) => {
      const [label, ...values] = row
      const cells = values.map((value) => `<td>${escapeHtml(String(value))}</td>`).join("")
      return `<tr><th scope="row">${escapeHtml(String(label))}</th>${cells}</tr>`
    })
    .join("\n")
  return `<table>\n<caption>${escapeHtml(caption)}</caption>\n${headRow}<tbody>\n${bodyRows}\n</tbody>\n</table>`
}

const keyValueTable = (caption: string, rows: ReadonlyArray<readonly [string, Cell]>): string =>
  table(caption, undefined, rows)

const summaryTables = (summary: Summary): string => {
  const { runs, waitSeconds: waits, runners, cost, reference, scaleEvents, replicas } = summary
  const skipped = Object.entries(runs.skippedTraceRows)
  return [
    keyValueTable("Runs", [
      ["arrived", runs.arrived],
      ["completed", runs.completed],
      ["failed", runs.failed],
      ["of which timed out", runs.timedOut],
      ["queued at end", runs.queuedAtEnd],
      ["running at end", runs.runningAtEnd]
    ]),
    keyValueTable("Queue wait (seconds)", [
      ["mean", waits.mean],
      ["p50", waits.p50],
      ["p90", waits.p90],
      ["p95", waits.p95],
      ["p99", waits.p99],
      ["max", waits.max]
    ]),
    keyValueTable("Runners", [
      ["peak instances", runners.peak],
      ["mean instances", runners.mean],
      ["instances created", runners.created],
      ["removed without a run", runners.removedUnused],
      ["hours provisioning", runners.hours.provisioning],
      ["hours idle", runners.hours.idle],
      ["hours running", runners.hours.running],
      ["hours tainted", runners.hours.tainted],
      ["hours total", runners.hours.total]
    ]),
    keyValueTable("Cost and scaling", [
      ["runner-hours", cost.runnerHours],
      ["cost", cost.amount],
      ["floor runner-hours", reference.floorRunnerHours],
      ["clairvoyant runner-hours", reference.clairvoyantRunnerHours],
      ["cost / floor", reference.costToFloor],
      ["cost / clairvoyant", reference.costToClairvoyant],
      ["scale-up decisions", scaleEvents.up],
      ["scale-down decisions", scaleEvents.down]
    ]),
    keyValueTable("Replicas", [
      ["leader changes", replicas.leaderChanges],
      ["tainted replicas", replicas.taintedReplicas],
      ["seconds without leader", replicas.secondsWithoutLeader]
    ]),
    keyValueTable(
      "Runners removed, by reason",
      REMOVAL_REASONS.map((reason) => [reason, summary.removals[reason]] as const)
    ),
    skipped.length === 0
      ? ""
      : keyValueTable("Trace rows skipped, by reason", skipped.map(([reason, count]) => [reason, count] as const))
  ].join("\n")
}

const violationsSection = (summary: Summary): string => {
  if (summary.violations.length === 0) return `<p class="ok">none</p>`
  return table(
    `Invariant violations (${summary.violations.length})`,
    ["invariant", "at", "ids", "detail"],
    summary.violations.map((violation) => [
      violation.invariant,
      formatElapsedMs(violation.at),
      violation.ids.join(", "),
      violation.detail
    ])
  )
}

const faultsSection = (faults: ReadonlyArray<FaultWindow>): string => {
  if (faults.length === 0) return `<p class="note">No fault was injected.</p>`
  const rows = faults.map((fault) => {
    const duration = fault.until === fault.at ? "instant" : formatElapsedMs(fault.until - fault.at)
    return [fault.kind, formatElapsedMs(fault.at), formatElapsedMs(fault.until), duration]
  })
  return (
    table(`Injected faults (${faults.length})`, ["kind", "start", "end", "duration"], rows) +
    `\n<p class="note">Times are simulated time since the start. The timeline charts shade each lasting fault and draw a line at each instant one.</p>`
  )
}

const chartFigure = (chart: ReportChart): string => {
  const title = escapeHtml(chart.title)
  const source = `data:image/png;base64,${chart.png.toString("base64")}`
  return (
    `<figure id="chart-${escapeHtml(chart.name)}">\n` +
    `<img src="${source}" alt="${title}">\n<figcaption>${title}</figcaption>\n</figure>`
  )
}

const settingsText = (settings: unknown): string => {
  let text: string | undefined
  try {
    text = JSON.stringify(settings, null, 2)
  } catch (error) {
    throw new TypeError(`Invalid report settings: they cannot be serialized as JSON (${String(error)}). Pass plain data.`)
  }
  return text === undefined ? "(none)" : text
}

// Only inline styles and data: images may load. The policy makes the offline
// promise checkable: any other request fails and logs a console error.
const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

const STYLE = `
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 1040px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.meta { color: #555; margin-top: 0; }
.tables { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.6rem; }
th[scope="row"] { text-align: left; font-weight: normal; color: #444; }
td { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #f4f4f4; }
.ok { color: #1b7837; }
.note { color: #555; font-size: 0.85rem; }
figure { margin: 1rem 0 2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
pre { background: #f7f7f7; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
`

/**
 * Renders a self-contained HTML report: scenario, seed, summary tables,
 * removals, faults, violations, charts (inlined as data: URIs) and settings.
 * It loads nothing from the network or the disk, needs no JavaScript, and
 * escapes all text. Throws a TypeError when `settings` cannot be serialized
 * as JSON, and a RangeError for an invalid fault window.
 */
export const renderReportHtml = (input: ReportInput): string => {
  const { summary, charts } = input
  const faults = validateFaultWindows(input.faults ?? [])
  const scenario = escapeHtml(summary.scenario)
  const hours = (summary.simulatedSeconds / 3600).toFixed(3)
  const engine = `${summary.engine.events} events in ${summary.engine.wallSeconds} s of wall time`
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>runner-pool report: ${scenario} (seed ${summary.seed})</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>Scenario ${scenario}</h1>
<p class="meta">Seed <strong>${summary.seed}</strong> · ${hours} simulated hours · ${escapeHtml(engine)}</p>

<h2>Summary</h2>
<div class="tables">
${summaryTables(summary)}
</div>
<p class="note">Waits are over acquired runs; percentiles use the nearest-rank method. Runner-hours count every instance from creation until its deletion finished, and cost is runner-hours times the price per runner-hour.</p>

<h2>Faults</h2>
${faultsSection(faults)}

<h2>Violations</h2>
${violationsSection(summary)}

<h2>Charts</h2>
${charts.map(chartFigure).join("\n")}

<h2>Settings</h2>
<pre>${escapeHtml(settingsText(input.settings))}</pre>
</body>
</html>
`
}
