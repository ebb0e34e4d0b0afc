import { execFileSync } from "node:child_process"
import { cpus, totalmem } from "node:os"
import { fileURLToPath } from "node:url"
import { CASES, type Measurement } from "./cases.js"

/**
 * Runs each benchmark case several times, each in a fresh Node process so
 * that peak memory (max resident set size) belongs to that case alone, and
 * prints the medians as a Markdown table. `node dist/bench/run.js [CASE ...]`;
 * `BENCH_RUNS` sets the runs per case (default 3).
 */
interface Sample extends Measurement {
  readonly maxRssMiB: number
}

const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["kernel-wakeups", "heap-wakeups"],
  ["borg-week", "borg-week-floor"],
  ["borg-week-workload-x12", "borg-week-workload"],
  ["borg-29d", "borg-29d-floor"],
  ["mmc-simulated", "mmc-simpy"]
]

const runOnce = (name: string): Sample => {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--case", name], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    stdio: ["ignore", "pipe", "inherit"]
  })
  return JSON.parse(output) as Sample
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const main = (): void => {
  const args = process.argv.slice(2)
  if (args[0] === "--case") {
    const measurement = CASES[args[1]!]!()
    const sample: Sample = { ...measurement, maxRssMiB: process.resourceUsage().maxRSS / 1024 }
    process.stdout.write(JSON.stringify(sample))
    return
  }
  const unknown = args.filter((name) => !(name in CASES))
  if (unknown.length > 0) {
    process.stderr.write(`error: unknown benchmark case ${unknown.join(", ")}; expected some of ${Object.keys(CASES).join(", ")}\n`)
    process.exitCode = 2
    return
  }
  const runs = Number(process.env.BENCH_RUNS ?? 3)
  const names = args.length > 0 ? args : Object.keys(CASES)
  const medians = new Map<string, { wall: number; rate: number; rss: number; detail: Record<string, number> }>()
  process.stdout.write(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`)
  process.stdout.write(`runs per case: ${runs} (median)\n\n| case | wall s | work/s | peak RSS MiB | detail |\n|---|---|---|---|---|\n`)
  for (const name of names) {
    const samples = Array.from({ length: runs }, () => runOnce(name))
    const result = {
      wall: median(samples.map((s) => s.wallSeconds)),
      rate: median(samples.map((s) => s.work / s.wallSeconds)),
      rss: median(samples.map((s) => s.maxRssMiB)),
      detail: samples[0]!.detail
    }
    medians.set(name, result)
    const detail = Object.entries(result.detail).map(([key, value]) => `${key} ${value}`).join(", ")
    process.stdout.write(`| ${name} | ${result.wall.toFixed(3)} | ${Math.round(result.rate).toLocaleString("en-US")} | ${result.rss.toFixed(0)} | ${detail} |\n`)
  }
  process.stdout.write("\n")
  for (const [measured, baseline] of PAIRS) {
    const a = medians.get(measured)
    const b = medians.get(baseline)
    if (a !== undefined && b !== undefined) {
      process.stdout.write(`ratio ${measured} / ${baseline} (wall time): ${(a.wall / b.wall).toFixed(2)}\n`)
    }
  }
}

main()
