/**
 * Renders Chart.js configurations to PNG bytes on @napi-rs/canvas, for every
 * chart runner-pool writes: the report's timelines, sweep charts (scatter and
 * `matrix` heatmaps from chartjs-chart-matrix) and policy comparisons.
 */
import { createCanvas, GlobalFonts } from "@napi-rs/canvas"
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Title,
  type ChartConfiguration,
  type ChartItem,
  type Plugin
} from "chart.js"
import { MatrixController, MatrixElement } from "chartjs-chart-matrix"

/** Size of a rendered chart in pixels. */
export interface ChartSize {
  readonly width: number
  readonly height: number
}

// Tooltips and interactions are left out, because a PNG has no pointer.
Chart.register(
  LineController,
  ScatterController,
  BarController,
  MatrixController,
  LineElement,
  PointElement,
  BarElement,
  MatrixElement,
  LinearScale,
  CategoryScale,
  Filler,
  Legend,
  Title
)

// chart.js 4 defaults to 'Helvetica Neue', Helvetica, Arial. DejaVu Sans, which Debian
// ships, keeps glyphs the same from machine to machine where it is installed.
Chart.defaults.font.family = GlobalFonts.has("DejaVu Sans") ? "'DejaVu Sans', sans-serif" : "sans-serif"

/** Paints the canvas white first, because a transparent PNG is unreadable on a dark viewer. */
const whiteBackground: Plugin = {
  id: "whiteBackground",
  beforeDraw: (chart) => {
    const { ctx, width, height } = chart
    ctx.save()
    ctx.fillStyle = "#ffffff"
    ctx.fillRect(0, 0, width, height)
    ctx.restore()
  }
}

/**
 * Renders one chart.js configuration to PNG bytes of `size`, synchronously and
 * without animation. The legend sits at the top right unless the
 * configuration places it.
 */
export const renderPng = (config: ChartConfiguration, size: ChartSize): Buffer => {
  const canvas = createCanvas(size.width, size.height)
  const context = canvas.getContext("2d")
  const options = config.options ?? {}
  const chart = new Chart(context as unknown as ChartItem, {
    ...config,
    options: {
      ...options,
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      events: [],
      plugins: { ...options.plugins, legend: { position: "top", align: "end", ...options.plugins?.legend } }
    },
    plugins: [whiteBackground, ...(config.plugins ?? [])]
  } as ChartConfiguration)
  try {
    // With animation off the constructor has drawn already. Drawing again does not rely on that.
    chart.draw()
    return canvas.encodeSync("png")
  } finally {
    chart.destroy()
  }
}
