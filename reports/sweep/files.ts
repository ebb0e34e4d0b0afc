import { cheapestMeetingSlo, paretoConfigurations, PARETO_OBJECTIVES, type ConfigurationResult, type SettingValue, type SweepResults } from "./results.js"

/** Serializes sweep results as JSON indented by 2 spaces, with a trailing newline. */
export const resultsToJson = (results: SweepResults): string => `${JSON.stringify(results, null, 2)}\n`

/**
 * Formats sweep results as CSV with one row per configuration: one column
 * per swept path, then `<metric>.mean` and `<metric>.sd` for every metric,
 * then `pareto`, `failedSeeds` and, with SLOs, `meetsSlo`. Follows RFC 4180:
 * CRLF line breaks, and a field containing a comma, double quote or line
 * break is quoted with its double quotes doubled. A configuration whose
 * every seed failed has empty metric fields.
 */
export const resultsToCsv = (results: SweepResults): string => {
  const paths = results.grid.map((axis) => axis.path)
  const withSlo = results.slo !== undefined
  const header = [
    ...paths,
    ...results.metrics.flatMap((metric) => [`${metric}.mean`, `${metric}.sd`]),
    "pareto",
    "failedSeeds",
    ...(withSlo ? ["meetsSlo"] : [])
  ]
  const rows = results.configurations.map((configuration) => [
    ...paths.map((path) => settingText(configuration.settings[path] ?? null)),
    ...results.metrics.flatMap((metric) => {
      const statistics = configuration.metrics[metric]
      return statistics === undefined ? ["", ""] : [String(statistics.mean), String(statistics.sd)]
    }),
    String(configuration.pareto),
    String(configuration.failures.length),
    ...(withSlo ? [String(configuration.meetsSlo === true)] : [])
  ])
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n"
}

/** Quotes a CSV field when RFC 4180 requires it. */
export const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)

const settingText = (value: SettingValue): string => (value === null ? "null" : String(value))

/**
 * Formats the Pareto front as a plain-text table, cheapest first: the
 * configuration number, every swept value, and the mean ± sample standard
 * deviation of both objectives over the seeds. With SLOs it adds a column
 * and a line naming the cheapest configuration that meets them all.
 */
export const paretoTable = (results: SweepResults): string => {
  const paths = results.grid.map((axis) => axis.path)
  const withSlo = results.slo !== undefined
  const header = ["#", ...paths, ...PARETO_OBJECTIVES, ...(withSlo ? ["meets SLO"] : [])]
  const row = (configuration: ConfigurationResult): Array<string> => [
    String(configuration.index),
    ...paths.map((path) => settingText(configuration.settings[path] ?? null)),
    ...PARETO_OBJECTIVES.map((metric) => meanAndSd(configuration, metric)),
    ...(withSlo ? [yesOrNo(configuration.meetsSlo === true)] : [])
  ]
  const front = paretoConfigurations(results)
  const lines = [`Pareto front of ${results.scenario} (minimising ${PARETO_OBJECTIVES.join(" and ")}, mean ± sd over ${plural(results.seeds.length, "seed")}):`]
  if (front.length === 0) lines.push("  no configuration ran on every seed")
  else lines.push(...alignColumns([header, ...front.map(row)]).map((line) => `  ${line}`))

  if (withSlo) {
    const cheapest = cheapestMeetingSlo(results)
    const conditions = results.slo!.join(", ")
    lines.push(
      cheapest === undefined
        ? `No configuration meets ${conditions} on every seed.`
        : `Cheapest configuration meeting ${conditions} on every seed: #${cheapest.index} (${describeSettings(cheapest)}), ${meanAndSd(cheapest, "cost.runnerHours")} runner-hours.`
    )
  }
  return `${lines.join("\n")}\n`
}

/** Formats a configuration's settings as `path=value` pairs separated by spaces. */
export const describeSettings = (configuration: ConfigurationResult): string =>
  Object.entries(configuration.settings)
    .map(([path, value]) => `${path}=${settingText(value)}`)
    .join(" ")

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`

const yesOrNo = (flag: boolean): string => (flag ? "yes" : "no")

const meanAndSd = (configuration: ConfigurationResult, metric: string): string => {
  const statistics = configuration.metrics[metric]
  return statistics === undefined ? "-" : `${formatNumber(statistics.mean)} ± ${formatNumber(statistics.sd)}`
}

/** At most 3 decimals, without trailing zeros, so the table stays narrow. */
const formatNumber = (value: number): string => String(Number(value.toFixed(3)))

/** Pads every column to its widest cell, left-aligned. */
const alignColumns = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd())
}
