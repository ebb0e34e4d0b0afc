/** The comparison table, as text cells, and its markdown form (compare.md). */
import type { Statistics } from "../sweep/aggregate.js"
import type { Comparison, PolicyRow } from "./model.js"

/** Column headers of the comparison table. */
export const COMPARE_COLUMNS: ReadonlyArray<string> = [
  "policy",
  "tuned settings",
  "runner-hours (mean ± sd)",
  "ratio to clairvoyant",
  "ratio to floor",
  "wait p50 / p95 / max (s)",
  "scale events per hour",
  "runners created",
  "removed unused",
  "SLO met (seeds)",
  "invariant violations"
]

/** Formats a number: an integer as is, otherwise with 1 decimal from 100 up and 2 below. */
export const formatNumber = (value: number): string => {
  if (Number.isInteger(value)) return String(value)
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(2)
}

const spread = (statistics: Statistics): string => `${formatNumber(statistics.mean)} ± ${formatNumber(statistics.sd)}`

const NOT_APPLICABLE = "–"

const policyCells = (row: PolicyRow): Array<string> => [
  row.policy,
  row.tunedSettings.length === 0 ? "(scenario's settings)" : row.tunedSettings.join(", "),
  spread(row.runnerHours),
  row.ratioToClairvoyant.toFixed(2),
  row.ratioToFloor.toFixed(2),
  [row.waitSeconds.p50, row.waitSeconds.p95, row.waitSeconds.max].map(formatNumber).join(" / "),
  formatNumber(row.scaleEventsPerHour),
  formatNumber(row.runnersCreated),
  formatNumber(row.removedUnused),
  `${row.sloMetSeeds}/${row.seeds}`,
  String(row.violations)
]

const referenceCells = (name: string, runnerHours: Statistics, comparison: Comparison): Array<string> => {
  const { floor, clairvoyant } = comparison.references
  const ratio = (reference: number) => (reference === 0 ? NOT_APPLICABLE : (runnerHours.mean / reference).toFixed(2))
  return [
    name,
    NOT_APPLICABLE,
    spread(runnerHours),
    ratio(clairvoyant.mean),
    ratio(floor.mean),
    name === "clairvoyant" ? "0 / 0 / 0" : NOT_APPLICABLE,
    ...Array.from({ length: COMPARE_COLUMNS.length - 6 }, () => NOT_APPLICABLE)
  ]
}

/**
 * Returns the table rows as text cells in `COMPARE_COLUMNS` order: one per
 * policy in the order compared, then the clairvoyant reference and the
 * floor. Reference rows have only runner-hours and ratios (the clairvoyant
 * schedule never lets a run wait); other cells hold an en dash.
 */
export const compareRows = (comparison: Comparison): Array<Array<string>> => [
  ...comparison.rows.map(policyCells),
  referenceCells("clairvoyant", comparison.references.clairvoyant, comparison),
  referenceCells("floor", comparison.references.floor, comparison)
]

/** Lines of the comparison header: scenario, seeds, SLOs, budget and command line. */
export const compareHeader = (comparison: Comparison): Array<readonly [string, string]> => [
  ["Scenario", `${comparison.scenario} (${comparison.file})`],
  ["Seeds", comparison.seeds.join(", ")],
  ["SLO", comparison.slos.join(" and ")],
  ["Budget", `${comparison.budgetPerPolicy} simulation runs per policy`],
  ["Command", comparison.commandLine]
]

const markdownCell = (text: string): string => text.replace(/\|/g, "\\|")

/**
 * Renders compare.md: a title, the header as a list, the table, and a note
 * on how to read the reference rows and the ratios.
 */
export const compareMarkdown = (comparison: Comparison): string => {
  const header = compareHeader(comparison).map(([label, value]) => (label === "Command" ? `- ${label}: \`${value}\`` : `- ${label}: ${value}`))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map(markdownCell).join(" | ")} |`
  const table = [line(COMPARE_COLUMNS), line(COMPARE_COLUMNS.map(() => "---")), ...compareRows(comparison).map(line)]
  return [
    `# Policy comparison: ${comparison.scenario}`,
    "",
    ...header,
    "",
    ...table,
    "",
    "Each policy row is the cheapest configuration of that policy's own knobs found to meet the SLO on every seed, or the closest when none did. " +
      "Metrics are means over the seeds. The clairvoyant row is a zero-wait schedule that knows every arrival in advance; " +
      "the floor is the runs' total run time, which no pool that serves every run undercuts.",
    ""
  ].join("\n")
}
