/**
 * The default search space of `runner-pool tune` and `compare`: which pool
 * settings each policy's search varies, and their candidate values, derived
 * from the scenario's own settings.
 */
import { Either, ParseResult, Schema } from "effect"
import { PoolSettings } from "../../core/settings.js"
import { describeFirstIssue } from "../scenario/issues.js"
import type { Knob, KnobValue, SearchSpace, Settings, Subspace } from "./space.js"

const SECOND = 1_000
const MINUTE = 60 * SECOND

/** Cooldown candidates in milliseconds, on a roughly logarithmic scale from 0 s to 30 min. */
export const COOLDOWN_VALUES_MS: ReadonlyArray<number> = [0, 5 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE]

/** A knob before the scenario's value is known: its path and its candidate values for a pool. */
interface KnobTemplate {
  readonly path: string
  readonly values: (pool: PoolSettings) => ReadonlyArray<KnobValue>
}

/** Maximum pool sizes around and above the scenario's M: M/2, 3M/4, M, 5M/4, 3M/2 and 2M, rounded up. */
const maxPoolSizes = (pool: PoolSettings): Array<number> =>
  [0.5, 0.75, 1, 1.25, 1.5, 2].map((factor) => Math.max(1, Math.ceil(pool.maxPoolSize * factor)))

/**
 * Minimum pool sizes 0, 1, 2, 3, 4, 6, 8, 12, 16, ... (powers of 2 and 1.5
 * times them) up to the scenario's maximum. Most policies create runners
 * only once runs queue, so only a warm pool spares those runs the
 * provisioning delay. The list therefore reaches sizes near the peak load,
 * in steps of at most 50%.
 */
const minPoolSizes = (pool: PoolSettings): Array<number> => {
  const sizes = [0]
  for (let power = 1; power <= pool.maxPoolSize; power *= 2) {
    sizes.push(power)
    if (power >= 2 && power * 1.5 <= pool.maxPoolSize) sizes.push(power * 1.5)
  }
  return sizes
}

/** Knobs every policy's search varies. */
const SHARED_KNOBS: ReadonlyArray<KnobTemplate> = [
  { path: "pool.minPoolSize", values: minPoolSizes },
  { path: "pool.maxPoolSize", values: maxPoolSizes },
  { path: "pool.scaleUpCooldownMs", values: () => COOLDOWN_VALUES_MS },
  { path: "pool.scaleDownCooldownMs", values: () => COOLDOWN_VALUES_MS }
]

const QUEUE_DEPTH_THRESHOLD: KnobTemplate = { path: "pool.queueDepthThreshold", values: () => [1, 2, 3, 4, 6, 8] }

/**
 * Knobs of each policy on top of `SHARED_KNOBS`, by `pool.policy` name.
 * Durations are in milliseconds. `pool.buildkite.agentsPerInstance` is left
 * out: it describes the deployment, and because the simulator runs one agent
 * per instance, raising it only shrinks the pool below the runs it serves.
 */
export const POLICY_KNOBS: Readonly<Record<string, ReadonlyArray<KnobTemplate>>> = {
  "queue-depth": [QUEUE_DEPTH_THRESHOLD],
  "queue-depth-busy": [QUEUE_DEPTH_THRESHOLD],
  "target-utilization": [
    { path: "pool.targetUtilization.target", values: () => [0.5, 0.6, 0.7, 0.8, 0.9, 1] },
    { path: "pool.targetUtilization.tolerance", values: () => [0, 0.05, 0.1, 0.2] },
    { path: "pool.targetUtilization.stabilizationWindow", values: () => [0, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE] }
  ],
  "keda-scaledjob": [
    { path: "pool.kedaScaledJob.targetQueueLength", values: () => [1, 2, 3, 5] },
    { path: "pool.kedaScaledJob.strategy", values: () => ["default", "accurate"] }
  ],
  "arc-scale-set": [],
  "gitlab-idle": [
    { path: "pool.gitlabIdle.idleCount", values: () => [0, 1, 2, 4, 8] },
    { path: "pool.gitlabIdle.scaleFactor", values: () => [0, 0.1, 0.25, 0.5, 1] },
    { path: "pool.gitlabIdle.scaleFactorLimit", values: () => [0, 2, 5, 10, 20] }
  ],
  buildkite: [
    { path: "pool.buildkite.scaleOutFactor", values: () => [0.25, 0.5, 1, 2] },
    { path: "pool.buildkite.scaleInFactor", values: () => [0.1, 0.25, 0.5, 1] },
    { path: "pool.buildkite.instanceBuffer", values: () => [0, 1, 2, 4, 8] }
  ],
  predictive: [
    QUEUE_DEPTH_THRESHOLD,
    { path: "pool.predictive.leadTime", values: () => [2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 20 * MINUTE, 30 * MINUTE] },
    { path: "pool.predictive.headroom", values: () => [0, 0.1, 0.2, 0.5, 1] },
    { path: "pool.predictive.recentWindow", values: () => [5 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE] }
  ]
}

/** A knob given on the command line (`--knob PATH=V1,V2,...`), which replaces the default knobs. */
export interface KnobOverride {
  readonly path: string
  readonly values: ReadonlyArray<KnobValue>
}

/** Returns the value at a dotted `pool.` path of decoded pool settings, or `undefined` when a key is missing. */
export const poolValueAt = (pool: PoolSettings, path: string): unknown => {
  let value: unknown = { pool }
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined
    value = (value as Readonly<Record<string, unknown>>)[key]
  }
  return value
}

/** Adds `current` to `values` unless present. Numbers come out ascending and distinct, and strings keep their order. */
const withCurrent = (values: ReadonlyArray<KnobValue>, current: KnobValue): Array<KnobValue> => {
  const all = values.includes(current) ? [...values] : [...values, current]
  const distinct = [...new Set(all)]
  return distinct.every((value) => typeof value === "number") ? distinct.sort((a, b) => (a as number) - (b as number)) : distinct
}

const knobOf = (path: string, values: ReadonlyArray<KnobValue>, current: KnobValue): Knob => {
  const list = withCurrent(values, current)
  return { path, values: list, current: list.indexOf(current) }
}

/** Returns a knob value as a scenario file writes it: `off` for `Infinity`, which JSON cannot write, and other values unchanged. */
export const encodeKnobValue = (value: KnobValue): KnobValue => (value === Infinity ? "off" : value)

/** Returns settings with each value as a scenario file writes it (see `encodeKnobValue`). */
export const encodeSettings = (settings: Settings): Settings =>
  Object.fromEntries(Object.entries(settings).map(([path, value]) => [path, encodeKnobValue(value)]))

const isKnobValue = (value: unknown): value is KnobValue => typeof value === "number" || typeof value === "string"

/**
 * Builds the search space of `policies` for a scenario whose pool settings
 * are `pool`: one subspace per policy, with `pool.policy` fixed to it. Each
 * subspace varies the knobs of `overrides` when given, otherwise the
 * shared knobs and the policy's own (`POLICY_KNOBS`). Every knob's list
 * contains the scenario's own value, so the scenario's configuration is a
 * candidate. Knob values are decoded values, durations in milliseconds. A
 * configuration is valid when its pool settings pass the schema's checks,
 * which reject a minimum pool size above the maximum.
 */
export const buildSearchSpace = (
  pool: PoolSettings,
  policies: ReadonlyArray<string>,
  overrides: ReadonlyArray<KnobOverride> = []
): SearchSpace => {
  const subspaces = policies.map((policy): Subspace => {
    const templates: ReadonlyArray<KnobTemplate> =
      overrides.length > 0
        ? overrides.map((override) => ({ path: override.path, values: () => override.values }))
        : [...SHARED_KNOBS, ...(POLICY_KNOBS[policy] ?? [])]
    const knobs: Array<Knob> = []
    for (const template of templates) {
      const current = poolValueAt(pool, template.path)
      if (isKnobValue(current)) knobs.push(knobOf(template.path, template.values(pool), current))
    }
    return { name: policy, fixed: [["pool.policy", policy]], knobs }
  })
  return { subspaces, isValid: (settings) => !("problem" in applyKnobValues(pool, settings)) }
}

/**
 * Applies knob values (decoded: milliseconds, `Infinity` for `off`) to
 * `pool` and validates the decoded result. Returns the pool settings, or
 * the schema's message on why they are invalid.
 */
export const applyKnobValues = (pool: PoolSettings, settings: Settings): { readonly pool: PoolSettings } | { readonly problem: string } => {
  const validated = validateStrict(withSettings(pool, settings))
  return Either.isRight(validated) ? { pool: validated.right } : { problem: describeFirstIssue(validated.left, "pool") }
}

const decodeStrict = Schema.decodeUnknownEither(PoolSettings, { onExcessProperty: "error" })
const validateStrict = Schema.validateEither(PoolSettings, { onExcessProperty: "error" })

/** Decodes encoded pool settings with `settings` (dotted `pool.` paths) applied to a copy. */
const decodePool = (encoded: unknown, settings: Settings): Either.Either<PoolSettings, ParseResult.ParseError> =>
  decodeStrict(withSettings(encoded, settings))

/** Returns a copy of pool settings, encoded or decoded, with `settings` (dotted `pool.` paths) applied. */
const withSettings = (base: unknown, settings: Settings): Record<string, unknown> => {
  // Copies only the mappings on each path, so `base` stays as it is.
  const copy: Record<string, unknown> = { ...(base as Record<string, unknown>) }
  for (const [path, value] of Object.entries(settings)) {
    const keys = path.split(".").slice(1)
    let target = copy
    for (const key of keys.slice(0, -1)) {
      const next = target[key]
      target[key] = typeof next === "object" && next !== null ? { ...next } : {}
      target = target[key] as Record<string, unknown>
    }
    target[keys.at(-1)!] = value
  }
  return copy
}

/**
 * Applies `settings` (dotted `pool.` paths, values as a scenario file writes
 * them: `5m` or milliseconds) to `pool` and decodes the result. Returns the
 * decoded pool settings, or the schema's message on why they are invalid.
 */
export const applySettings = (pool: PoolSettings, settings: Settings): { readonly pool: PoolSettings } | { readonly problem: string } => {
  const decoded = decodePool(Schema.encodeSync(PoolSettings)(pool), settings)
  return Either.isRight(decoded) ? { pool: decoded.right } : { problem: describeFirstIssue(decoded.left, "pool") }
}
