import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { parse as parseYaml } from "yaml"
import { POLICY_NAMES } from "../core/policies/names.js"
import { POLICY_OPTION_KEYS } from "../core/policies/options.js"
import { ReplicaSettings } from "../core/replicaSettings.js"
import { POOL_SETTING_KEYS, PoolSettings, defaultPoolSettings } from "../core/settings.js"
import { FAULT_KEYS } from "../sim/faults/schema.js"
import { INVARIANT_NAMES } from "../sim/monitor/violation.js"
import { CloudSection, RunnersSection, SCENARIO_KEYS, Scenario } from "../sim/scenario/schema.js"
import { SUMMARY_PATHS } from "../sim/scenario/summaryPaths.js"
import {
  DEFAULT_TRACE_COLUMNS,
  DISTRIBUTION_KEYS,
  WORKLOAD_SOURCE_KEYS,
  WorkloadSection,
  type TraceSource
} from "../sim/workload/schema.js"

const SCENARIOS_DOC = readFileSync(resolve(import.meta.dirname, "../docs/scenarios.md"), "utf8")
const INVARIANTS_DOC = readFileSync(resolve(import.meta.dirname, "../docs/invariants.md"), "utf8")
const POLICIES_DOC = readFileSync(resolve(import.meta.dirname, "../docs/policies.md"), "utf8")

interface Row {
  readonly keys: ReadonlyArray<string>
  /** The default cell's value when it is one code span such as `15m`, else undefined ("required", "none"). */
  readonly defaultValue: string | undefined
  readonly cells: ReadonlyArray<string>
}

/** Rows of the first table after the heading line `heading`, up to the next heading. */
const tableAfter = (heading: string): ReadonlyArray<Row> => {
  const lines = SCENARIOS_DOC.split("\n")
  const start = lines.indexOf(heading)
  expect(start, `heading "${heading}" in docs/scenarios.md`).toBeGreaterThanOrEqual(0)
  const rows: Row[] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("#")) break
    if (!line.startsWith("| `")) continue
    const cells = line.slice(1, -1).split(" | ").map((cell) => cell.trim())
    const keys = [...cells[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)
    const code = /^`([^`]+)`$/.exec(cells[2] ?? "")
    rows.push({ keys, defaultValue: code?.[1], cells })
  }
  return rows
}

const keysOf = (rows: ReadonlyArray<Row>): ReadonlyArray<string> => rows.flatMap((row) => row.keys)

/** Parses the documented default of `key` as YAML. */
const documentedDefault = (rows: ReadonlyArray<Row>, key: string): unknown => {
  const row = rows.find((candidate) => candidate.keys.includes(key))
  expect(row?.defaultValue, `default of ${key}`).toBeDefined()
  return parseYaml(row!.defaultValue!)
}

/** Checks that the table under `heading` lists exactly `keys`, each with a default that decodes to the code's default. */
const expectSectionDocumented = <A, I>(heading: string, section: Schema.Schema<A, I>, keys: ReadonlyArray<string>): void => {
  const rows = tableAfter(heading)
  expect([...keysOf(rows)].sort()).toEqual([...keys].sort())
  const defaults = Schema.decodeUnknownSync(section)({}) as Record<string, unknown>
  for (const key of keys) {
    const decoded = Schema.decodeUnknownSync(section)({ [key]: documentedDefault(rows, key) }) as Record<string, unknown>
    expect(decoded[key], `${heading} ${key}`).toEqual(defaults[key])
  }
}

const MINIMAL = { name: "t", horizon: "1h", workload: [{ kind: "burst", at: "1m", count: 1, duration: { kind: "constant", value: "1m" } }] }

describe("docs/scenarios.md", () => {
  it("documents every pool setting", () => {
    const rows = tableAfter("## pool")
    expect([...keysOf(rows)].sort()).toEqual([...POOL_SETTING_KEYS].sort())
  })

  it("pool defaults match the code", () => {
    const rows = tableAfter("## pool")
    const defaults = defaultPoolSettings()
    for (const key of POOL_SETTING_KEYS) {
      const decoded = Schema.decodeUnknownSync(PoolSettings)({ [key]: documentedDefault(rows, key) })
      expect(decoded[key as keyof typeof decoded], key).toEqual(defaults[key as keyof typeof defaults])
    }
  })

  it("documents every policy option with its default", () => {
    const rows = tableAfter("### Policy options")
    const keys = Object.entries(POLICY_OPTION_KEYS).flatMap(([mapping, names]) => names.map((name) => `${mapping}.${name}`))
    expect([...keysOf(rows)].sort()).toEqual([...keys].sort())
    const defaults = defaultPoolSettings() as unknown as Record<string, Record<string, unknown>>
    for (const key of keys) {
      const [mapping, name] = key.split(".") as [string, string]
      const decoded = defaultPoolSettings({ [mapping]: { [name]: documentedDefault(rows, key) } }) as unknown as Record<string, Record<string, unknown>>
      expect(decoded[mapping]![name], key).toEqual(defaults[mapping]![name])
    }
  })

  it("documents cloud keys with their defaults", () => {
    expectSectionDocumented("## cloud", CloudSection, Object.keys(CloudSection.fields))
  })

  it("documents runners keys with their defaults", () => {
    expectSectionDocumented("## runners", RunnersSection, Object.keys(RunnersSection.fields))
  })

  it("documents every top-level key", () => {
    const rows = tableAfter("## Top-level keys")
    expect([...keysOf(rows)].sort()).toEqual([...SCENARIO_KEYS].sort())
    const seed = documentedDefault(rows, "seed")
    expect(Schema.decodeUnknownSync(Scenario)(MINIMAL).seed).toBe(seed)
  })

  it("documents every workload source key", () => {
    for (const [kind, keys] of Object.entries(WORKLOAD_SOURCE_KEYS)) {
      const documented = keysOf(tableAfter(`### ${kind}`))
      const expected = keys.filter((key) => key !== "kind" && key !== "name")
      expect([...documented].sort(), kind).toEqual([...expected].sort())
    }
  })

  it("trace and burst defaults match the code", () => {
    const trace = tableAfter("### trace")
    const decodeTrace = (fields: object) =>
      Schema.decodeUnknownSync(WorkloadSection)([{ kind: "trace", path: "x.csv", ...fields }])[0] as TraceSource
    const defaults = decodeTrace({})
    expect(documentedDefault(trace, "format")).toBe(defaults.format)
    expect(documentedDefault(trace, "timeScale")).toBe(defaults.timeScale)
    expect(documentedDefault(trace, "durationScale")).toBe(defaults.durationScale)
    expect(documentedDefault(trace, "columns")).toEqual(DEFAULT_TRACE_COLUMNS)

    const burst = tableAfter("### burst")
    const decodeBurst = (fields: object) => Schema.decodeUnknownSync(WorkloadSection)([{ ...MINIMAL.workload[0], ...fields }])[0]
    expect(decodeBurst({ spread: documentedDefault(burst, "spread") })).toEqual(decodeBurst({}))
  })

  it("documents every distribution kind and key", () => {
    const rows = tableAfter("## Distributions")
    for (const [kind, keys] of Object.entries(DISTRIBUTION_KEYS)) {
      const row = rows.find((candidate) => candidate.keys[0] === kind)
      expect(row, kind).toBeDefined()
      for (const key of keys.filter((name) => name !== "kind")) expect(row!.cells[1], `${kind} ${key}`).toContain(`\`${key}\``)
    }
  })

  it("documents replicas keys with their defaults", () => {
    expectSectionDocumented("## replicas", ReplicaSettings, Object.keys(ReplicaSettings.from.fields))
  })

  it("documents every fault kind and key", () => {
    const rows = tableAfter("### Fault kinds")
    expect(rows.map((row) => row.keys[0]).sort()).toEqual(Object.keys(FAULT_KEYS).sort())
    for (const [kind, keys] of Object.entries(FAULT_KEYS)) {
      const row = rows.find((candidate) => candidate.keys[0] === kind)!
      for (const key of keys.filter((name) => name !== "kind")) expect(row.cells[1], `${kind} ${key}`).toContain(`\`${key}\``)
    }
  })

  it("explains every fault key", () => {
    const documented = keysOf(tableAfter("### Fault keys"))
    const keys = new Set(Object.values(FAULT_KEYS).flat().filter((key) => key !== "kind"))
    expect([...documented].sort()).toEqual([...keys].sort())
  })

  it("lists every testable summary path", () => {
    const documented = keysOf(tableAfter("### Summary paths"))
    for (const path of SUMMARY_PATHS) expect(documented, path).toContain(path)
    expect(documented).toContain("runs.skippedTraceRows.<source name>")
  })
})

describe("docs/policies.md", () => {
  it("has a section for every policy", () => {
    const headings = POLICIES_DOC.split("\n").filter((line) => line.startsWith("## `"))
    expect(headings.map((line) => line.slice(4, -1)).sort()).toEqual([...POLICY_NAMES].sort())
  })
})

describe("docs/invariants.md", () => {
  it("has a section for every invariant", () => {
    const headings = INVARIANTS_DOC.split("\n").filter((line) => line.startsWith("### `"))
    expect(headings.map((line) => line.slice(5, -1)).sort()).toEqual([...INVARIANT_NAMES].sort())
  })
})
