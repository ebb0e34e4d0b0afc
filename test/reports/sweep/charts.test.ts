import { Image } from "@napi-rs/canvas"
import { describe, expect, it } from "vitest"
import { heatmapChart, heatmapData, interpolateColor, paretoChart } from "../../../reports/sweep/charts.js"
import { renderSweepPng, SWEEP_CHART_HEIGHT, SWEEP_CHART_WIDTH } from "../../../reports/sweep/render.js"
import { buildSweepResults, type SweepResults } from "../../../reports/sweep/results.js"
import { pngSize } from "../png.js"
import { ranOutcomes } from "./support.js"

/** Builds a 2 x 2 x 2 sweep whose runner-hours are x + 10 y + 100 z, so every average is known. */
const cubeResults = (): SweepResults => {
  const values = [1, 2]
  const configurations = values.flatMap((x) =>
    values.flatMap((y) =>
      values.map((z) => {
        const hours = x + 10 * y + 100 * z
        return { settings: { "a.x": x, "a.y": y, "a.z": z }, outcomes: ranOutcomes([hours, 1000 - hours], [hours, 1000 - hours]) }
      })
    )
  )
  return buildSweepResults({
    scenario: "cube",
    file: "cube.yaml",
    seeds: [1, 2],
    grid: ["a.x", "a.y", "a.z"].map((path) => ({ path, values })),
    metrics: ["cost.runnerHours", "waitSeconds.p95"],
    configurations
  })
}

/** Decodes PNG bytes fully and returns the image's size. */
const decodedSize = (png: Buffer) => {
  const image = new Image()
  image.src = png
  return { width: image.width, height: image.height }
}

describe("heatmapData", () => {
  it("averages over the other swept paths", () => {
    const data = heatmapData(cubeResults(), "cost.runnerHours", "a.x", "a.y")
    expect(data.xLabels).toEqual(["1", "2"])
    expect(data.yLabels).toEqual(["1", "2"])
    expect(data.averagedOver).toEqual(["a.z"])
    // Mean over z of x + 10 y + 100 z is x + 10 y + 150.
    expect(data.cells).toEqual([
      { x: "1", y: "1", v: 161 },
      { x: "1", y: "2", v: 171 },
      { x: "2", y: "1", v: 162 },
      { x: "2", y: "2", v: 172 }
    ])
  })

  it("axes follow the requested paths", () => {
    const data = heatmapData(cubeResults(), "cost.runnerHours", "a.z", "a.x")
    expect(data.averagedOver).toEqual(["a.y"])
    expect(data.cells.find((cell) => cell.x === "2" && cell.y === "1")!.v).toBe(216)
  })
})

describe("sweep charts", () => {
  it("heatmap title says what it averages", () => {
    const chart = heatmapChart(cubeResults(), "waitSeconds.p95", "a.x", "a.y")
    expect(chart.name).toBe("heatmap-waitSeconds.p95")
    expect(chart.title).toBe("cube: waitSeconds.p95, mean over 2 seeds, averaged over a.z")
  })

  it("pareto chart splits front and dominated", () => {
    const chart = paretoChart(cubeResults())
    const [front, dominated] = chart.config.data.datasets
    // Runner-hours plus p95 is 1000 for every configuration, so none dominates another.
    expect(front!.data).toHaveLength(8)
    expect(dominated!.data).toHaveLength(0)
    const xs = (front!.data as Array<{ x: number }>).map((point) => point.x)
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
  })

  it("charts render to decodable PNGs", () => {
    const results = cubeResults()
    for (const chart of [paretoChart(results), heatmapChart(results, "cost.runnerHours", "a.x", "a.y")]) {
      const png = renderSweepPng(chart.config)
      expect(pngSize(png)).toEqual({ width: SWEEP_CHART_WIDTH, height: SWEEP_CHART_HEIGHT })
      expect(decodedSize(png)).toEqual({ width: SWEEP_CHART_WIDTH, height: SWEEP_CHART_HEIGHT })
    }
  })

  it("same results give the same bytes", () => {
    const config = () => heatmapChart(cubeResults(), "cost.runnerHours", "a.x", "a.y").config
    expect(renderSweepPng(config()).equals(renderSweepPng(config()))).toBe(true)
  })
})

describe("interpolateColor", () => {
  it("maps ends and clamps", () => {
    expect(interpolateColor(0)).toBe("#ffffd9")
    expect(interpolateColor(1)).toBe("#0c2c84")
    expect(interpolateColor(-1)).toBe("#ffffd9")
    expect(interpolateColor(2)).toBe("#0c2c84")
  })

  it("interpolates between neighbours", () => {
    // Halfway between stop 0 (#ffffd9) and stop 1 (#edf8b1) of 8 stops.
    expect(interpolateColor(0.5 / 7)).toBe("#f6fcc5")
  })
})
