import type { ChartConfiguration } from "chart.js"
import { renderPng } from "../png.js"

/** Size of every sweep chart in pixels. Taller than the timeline charts, because both axes carry values. */
export const SWEEP_CHART_WIDTH = 1000
export const SWEEP_CHART_HEIGHT = 600

/**
 * Renders a Chart.js configuration (scatter, line or `matrix` from
 * chartjs-chart-matrix 3.1) to PNG bytes of `SWEEP_CHART_WIDTH` x
 * `SWEEP_CHART_HEIGHT` pixels, synchronously and without animation.
 */
export const renderSweepPng = (config: ChartConfiguration): Buffer =>
  renderPng(config, { width: SWEEP_CHART_WIDTH, height: SWEEP_CHART_HEIGHT })
