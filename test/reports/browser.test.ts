import { existsSync } from "node:fs"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import path from "node:path"
import { pathToFileURL } from "node:url"
import { chromium } from "playwright-core"
import { afterAll, describe, expect, it } from "vitest"
import { renderChartPngs } from "../../reports/charts.js"
import { renderReportHtml } from "../../reports/html.js"
import { replicaFaults, replicaMetrics, tenHourSummary } from "./fixtures.js"

/** Path where Debian's chromium package installs the browser. The test skips when it is absent. */
const CHROMIUM = "/usr/bin/chromium"

// Flags that keep Chromium from reaching any host on its own (updates, sync, QUIC probes).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

const tempDirs: Array<string> = []
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true })
})

describe("report in Chromium", () => {
  it("loads offline with decoded images", { timeout: 60_000 }, async (context) => {
    context.skip(!existsSync(CHROMIUM), `${CHROMIUM} not found: install the Debian package chromium to run this test`)

    const dir = await mkdtemp(path.join(tmpdir(), "runner-pool-report-"))
    tempDirs.push(dir)
    // The ten-hour summary's tables with the replica run's charts: every chart kind, fault shading included.
    const summary = tenHourSummary(`<b>bold</b> & "quoted"`, [
      { invariant: "noRunOnTainted", at: 1500, ids: ["r1"], detail: "run <7> started" }
    ])
    const faults = replicaFaults()
    const charts = renderChartPngs(replicaMetrics(), summary, faults)
    const html = renderReportHtml({ summary, settings: { pool: { max: 10 } }, charts, faults })
    const reportPath = path.join(dir, "report.html")
    await writeFile(reportPath, html)

    // A fresh profile per run. launchPersistentContext passes it as --user-data-dir.
    const browser = await chromium.launchPersistentContext(path.join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS
    })
    try {
      const page = await browser.newPage()
      const consoleErrors: Array<string> = []
      const failedRequests: Array<string> = []
      const requestedUrls: Array<string> = []
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text())
      })
      page.on("pageerror", (error) => consoleErrors.push(error.message))
      page.on("requestfailed", (request) => failedRequests.push(request.url().slice(0, 120)))
      page.on("request", (request) => requestedUrls.push(request.url().slice(0, 40)))

      await page.goto(pathToFileURL(reportPath).href, { waitUntil: "load" })

      // The tsconfig has no DOM lib, so the callback names the image fields it reads.
      type DecodedImage = { complete: boolean; naturalWidth: number; naturalHeight: number }
      const images = await page.locator("img").evaluateAll((elements: Array<DecodedImage>) =>
        elements.map((image) => ({ complete: image.complete, width: image.naturalWidth, height: image.naturalHeight }))
      )
      expect(images).toHaveLength(6)
      for (const image of images) expect(image).toEqual({ complete: true, width: 1000, height: 400 })

      expect(await page.textContent("h1")).toBe(`Scenario <b>bold</b> & "quoted"`)
      expect(await page.locator("h1 b").count()).toBe(0)
      expect(await page.locator("table:has(caption:text('Injected faults')) tbody tr").count()).toBe(3)
      expect(await page.locator("table:has(caption:text('Invariant violations')) tbody tr").count()).toBe(1)

      expect(consoleErrors).toEqual([])
      expect(failedRequests).toEqual([])
      const external = requestedUrls.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))
      expect(external).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
