import type { Chart, Plugin } from "chart.js"
import type { TimeUnit } from "./chart-common.js"
import type { FaultWindow } from "./faults.js"

const BAND_FILL = "rgba(217, 95, 2, 0.12)"
const BAND_EDGE = "rgba(217, 95, 2, 0.5)"
const INSTANT_LINE = "#d95f02"
const LABEL_COLOR = "#8c3b00"
const LABEL_BACKDROP = "rgba(255, 255, 255, 0.85)"
const LABEL_FONT = "11px 'DejaVu Sans', sans-serif"
/** A band narrower than this, in pixels, is widened so a short fault on a long timeline stays visible. */
const MIN_BAND_PX = 2
/** Rows of labels at the top of the plot; labels that overlap in one row move to the next. */
const LABEL_ROWS = 3
const ROW_HEIGHT_PX = 14
const LABEL_PADDING_PX = 3

interface PlacedWindow {
  readonly window: FaultWindow
  readonly left: number
  readonly right: number
}

/** Pixel spans of the windows that overlap the x axis, ordered by start, then by list order. */
const placeWindows = (chart: Chart, windows: ReadonlyArray<FaultWindow>, unit: TimeUnit): Array<PlacedWindow> => {
  const x = chart.scales.x!
  const { left: areaLeft, right: areaRight } = chart.chartArea
  const placed: Array<PlacedWindow & { readonly index: number }> = []
  windows.forEach((window, index) => {
    const left = x.getPixelForValue(window.at / unit.ms)
    const right = Math.max(x.getPixelForValue(window.until / unit.ms), left + (window.until > window.at ? MIN_BAND_PX : 0))
    if (right < areaLeft || left > areaRight) return
    placed.push({ window, left, right, index })
  })
  placed.sort((a, b) => a.window.at - b.window.at || a.index - b.index)
  return placed
}

const drawBands = (chart: Chart, placed: ReadonlyArray<PlacedWindow>): void => {
  const { ctx, chartArea } = chart
  const { top, bottom } = chartArea
  for (const { window, left, right } of placed) {
    if (window.until === window.at) continue
    ctx.fillStyle = BAND_FILL
    ctx.fillRect(left, top, right - left, bottom - top)
    ctx.strokeStyle = BAND_EDGE
    ctx.lineWidth = 1
    ctx.beginPath()
    ctx.moveTo(left, top)
    ctx.lineTo(left, bottom)
    ctx.moveTo(right, top)
    ctx.lineTo(right, bottom)
    ctx.stroke()
  }
}

const drawInstants = (chart: Chart, placed: ReadonlyArray<PlacedWindow>): void => {
  const { ctx, chartArea } = chart
  ctx.strokeStyle = INSTANT_LINE
  ctx.lineWidth = 1.5
  for (const { window, left } of placed) {
    if (window.until !== window.at) continue
    ctx.beginPath()
    ctx.moveTo(left, chartArea.top)
    ctx.lineTo(left, chartArea.bottom)
    ctx.stroke()
  }
}

/** Writes each window's kind near its start, in the first row where it overlaps no earlier label. */
const drawLabels = (chart: Chart, placed: ReadonlyArray<PlacedWindow>): void => {
  const { ctx, chartArea } = chart
  ctx.font = LABEL_FONT
  ctx.textBaseline = "top"
  ctx.textAlign = "left"
  const rowEnds: Array<number> = Array.from({ length: LABEL_ROWS }, () => -Infinity)
  for (const { window, left } of placed) {
    const width = ctx.measureText(window.kind).width
    const start = Math.min(Math.max(left, chartArea.left) + LABEL_PADDING_PX, chartArea.right - width - LABEL_PADDING_PX)
    let row = rowEnds.findIndex((end) => end <= start)
    // Every row is taken here: the label overlaps the one that ends first.
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds))
    rowEnds[row] = start + width + 2 * LABEL_PADDING_PX
    const y = chartArea.top + 2 + row * ROW_HEIGHT_PX
    ctx.fillStyle = LABEL_BACKDROP
    ctx.fillRect(start - 2, y - 1, width + 4, ROW_HEIGHT_PX - 1)
    ctx.fillStyle = LABEL_COLOR
    ctx.fillText(window.kind, start, y)
  }
}

/**
 * Creates a chart.js plugin that marks fault windows on a chart whose x axis
 * is simulated time in `unit`. It draws a translucent band behind the data
 * for each lasting fault, a thin vertical line for each instant one, and the
 * fault's kind as a label at the top of the plot. Windows are drawn clipped to the
 * plot area, so those partly past the horizon are cut at its edge.
 */
export const faultWindowsPlugin = (windows: ReadonlyArray<FaultWindow>, unit: TimeUnit): Plugin => ({
  id: "faultWindows",
  beforeDatasetsDraw: (chart) => {
    const { ctx, chartArea } = chart
    ctx.save()
    ctx.beginPath()
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top)
    ctx.clip()
    drawBands(chart, placeWindows(chart, windows, unit))
    ctx.restore()
  },
  afterDatasetsDraw: (chart) => {
    const { ctx, chartArea } = chart
    const placed = placeWindows(chart, windows, unit)
    ctx.save()
    ctx.beginPath()
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top)
    ctx.clip()
    drawInstants(chart, placed)
    drawLabels(chart, placed)
    ctx.restore()
  }
})
