/** Charts of the policy comparison: cost per policy with the reference costs, and cost against p95 wait. */
import type { ChartConfiguration } from "chart.js"
import { axis, COLORS, titleOptions } from "../chart-common.js"
import { CHART_HEIGHT, CHART_WIDTH, type RenderedChart } from "../charts.js"
import { renderPng } from "../png.js"
import type { Comparison } from "./model.js"

/** Colours of the policies, in row order, repeating after the last. */
const POLICY_COLORS = ["#2f6f8f", "#f2a93b", "#3aa655", "#c94a4a", "#6a51a3", "#8c6d31", "#d45fa0", "#17becf"]

const REFERENCE_COLORS = { floor: "#555555", clairvoyant: "#1b5e20", slo: "#c94a4a" } as const

const CHART_SIZE = { width: CHART_WIDTH, height: CHART_HEIGHT }

const policyColor = (index: number): string => POLICY_COLORS[index % POLICY_COLORS.length]!

/** A horizontal dashed line across every category of a bar chart. */
const referenceLine = (label: string, value: number, count: number, color: string) => ({
  type: "line" as const,
  label,
  data: Array.from({ length: count }, () => value),
  borderColor: color,
  borderDash: [6, 4],
  borderWidth: 2,
  pointRadius: 0,
  fill: false
})

const costChart = (comparison: Comparison): ChartConfiguration => {
  const labels = comparison.rows.map((row) => row.policy)
  const { floor, clairvoyant } = comparison.references
  return {
    type: "bar",
    data: {
      labels,
      datasets: [
        {
          type: "bar",
          label: "runner-hours, mean over seeds",
          data: comparison.rows.map((row) => row.runnerHours.mean),
          backgroundColor: comparison.rows.map((_, index) => `${policyColor(index)}b0`),
          borderColor: comparison.rows.map((_, index) => policyColor(index)),
          borderWidth: 1
        },
        referenceLine(`clairvoyant (${clairvoyant.mean.toFixed(1)})`, clairvoyant.mean, labels.length, REFERENCE_COLORS.clairvoyant),
        referenceLine(`floor (${floor.mean.toFixed(1)})`, floor.mean, labels.length, REFERENCE_COLORS.floor)
      ]
    } as ChartConfiguration["data"],
    options: {
      plugins: { title: titleOptions("Runner-hours of each tuned policy"), legend: { position: "top", align: "end" } },
      scales: { x: { type: "category", grid: { color: COLORS.grid } }, y: axis("Runner-hours", { beginAtZero: true }) }
    }
  }
}

const scatterChart = (comparison: Comparison): ChartConfiguration => {
  const points = comparison.rows.flatMap((row) => row.perSeed)
  const costs = [...points.map((point) => point.runnerHours), comparison.references.floor.mean, comparison.references.clairvoyant.mean]
  const waits = points.map((point) => point.p95)
  const [xMin, xMax] = [Math.min(...costs), Math.max(...costs)]
  const yMax = Math.max(...waits, comparison.p95Bound ?? 0)
  const vertical = (label: string, x: number, color: string) => ({
    label,
    data: [
      { x, y: 0 },
      { x, y: yMax }
    ],
    showLine: true,
    borderColor: color,
    borderDash: [6, 4],
    borderWidth: 2,
    pointRadius: 0
  })
  const bound = comparison.p95Bound
  return {
    type: "scatter",
    data: {
      datasets: [
        ...comparison.rows.map((row, index) => ({
          label: row.policy,
          data: row.perSeed.map((point) => ({ x: point.runnerHours, y: point.p95 })),
          backgroundColor: policyColor(index),
          borderColor: policyColor(index),
          pointRadius: 6
        })),
        vertical("clairvoyant", comparison.references.clairvoyant.mean, REFERENCE_COLORS.clairvoyant),
        vertical("floor", comparison.references.floor.mean, REFERENCE_COLORS.floor),
        ...(bound === undefined
          ? []
          : [
              {
                label: `SLO p95 ≤ ${bound} s`,
                data: [
                  { x: xMin, y: bound },
                  { x: xMax, y: bound }
                ],
                showLine: true,
                borderColor: REFERENCE_COLORS.slo,
                borderDash: [2, 3],
                borderWidth: 2,
                pointRadius: 0
              }
            ])
      ]
    },
    options: {
      plugins: { title: titleOptions("Runner-hours against p95 queue wait, one point per policy and seed"), legend: { position: "top", align: "end" } },
      scales: { x: axis("Runner-hours"), y: axis("p95 queue wait (seconds)", { beginAtZero: true }) }
    }
  }
}

/**
 * Renders the two comparison charts to PNG. `cost` shows the mean
 * runner-hours of each policy as bars, with the clairvoyant and floor costs
 * as dashed lines. `cost-vs-p95` plots each policy's runs as points of
 * runner-hours against p95 wait, with the reference costs and any p95 SLO
 * bound as lines.
 */
export const renderCompareCharts = (comparison: Comparison): Array<RenderedChart> => [
  { name: "cost", title: "Runner-hours per policy, with the clairvoyant and floor references", png: renderPng(costChart(comparison), CHART_SIZE) },
  { name: "cost-vs-p95", title: "Runner-hours against p95 queue wait, per policy and seed", png: renderPng(scatterChart(comparison), CHART_SIZE) }
]
