/** Command-line options that `runner-pool tune` and `compare` share, and their checks. */
import { Options } from "@effect/cli"
import { Effect } from "effect"
import { parseOptionValue } from "../../sim/scenario/load.js"
import { POLICY_NAMES, type PolicyName } from "../../core/policies/names.js"
import type { PoolSettings } from "../../core/settings.js"
import { applySettings, poolValueAt, type KnobOverride } from "../../sim/search/knobs.js"
import type { KnobValue } from "../../sim/search/space.js"
import { InputError, nearestKey } from "../../sim/scenario/inputError.js"
import { requireAtLeast } from "../inputErrors.js"
import { SLO_FORM } from "./slo.js"

/** Default of `--budget` (tune) and of `--budget` per policy (compare): total simulation runs. */
export const DEFAULT_BUDGET = 60

/** Default of `--seeds`. */
export const DEFAULT_SEEDS = 3

/** `--budget N`. `scope` completes the help text, such as `in all` or `per policy`. */
export const budgetOption = (scope: string) =>
  Options.integer("budget").pipe(
    Options.withPseudoName("N"),
    Options.withDefault(DEFAULT_BUDGET),
    Options.withDescription(`Maximum number of simulation runs ${scope}, at least the number of seeds. Default: ${DEFAULT_BUDGET}.`)
  )

export const seedsOption = Options.integer("seeds").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(DEFAULT_SEEDS),
  Options.withDescription(
    `Seeds each configuration must meet the SLO on: the scenario's seed S, then S+1 up to S+N-1. Default: ${DEFAULT_SEEDS}.`
  )
)

export const jobsOption = Options.integer("jobs").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(1),
  Options.withDescription("Number of simulations run at once, each in its own worker thread. Default: 1, which runs them one after another on the main thread.")
)

export const traceOption = Options.text("trace").pipe(
  Options.withPseudoName("FILE"),
  Options.optional,
  Options.withDescription("Trace file to replay instead of the path in every trace source (CSV or SWF, gzip allowed), relative to the working directory.")
)

export const sloDescription = `Service level objective that every seed's summary must meet, as ${SLO_FORM}.`

/** Checks the `--seeds`, `--jobs` and `--budget` of `tune` and `compare`: a budget must run one configuration on every seed. */
export const requireSearchSizes = (options: { readonly seeds: number; readonly jobs: number; readonly budget: number }): Effect.Effect<void, InputError> =>
  Effect.all([
    requireAtLeast("--seeds", options.seeds, 1),
    requireAtLeast("--jobs", options.jobs, 1),
    requireAtLeast("--budget", options.budget, options.seeds, `, the number of seeds (--seeds ${options.seeds}), so that one configuration can run on every seed`)
  ], { discard: true })

/**
 * Parses a comma-separated list of policy names, dropping repeats. Throws
 * `InputError` for an empty list or an unknown name, with the nearest valid
 * name and the list of valid names.
 */
export const parsePolicies = (text: string): Array<PolicyName> => {
  const names = text.split(",").map((name) => name.trim())
  if (names.every((name) => name === "")) {
    throw new InputError({ message: `--policies '${text}': expected a comma-separated list of policy names, such as ${POLICY_NAMES.slice(0, 2).join(",")}` })
  }
  const policies: Array<PolicyName> = []
  for (const name of names) {
    if (!(POLICY_NAMES as ReadonlyArray<string>).includes(name)) {
      const suggestion = nearestKey(name, POLICY_NAMES)
      const hint = suggestion === undefined ? "" : ` Did you mean "${suggestion}"?`
      throw new InputError({ message: `--policies '${text}': unknown policy "${name}".${hint} Valid policies: ${POLICY_NAMES.join(", ")}` })
    }
    if (!policies.includes(name as PolicyName)) policies.push(name as PolicyName)
  }
  return policies
}

export const knobOption = Options.text("knob").pipe(
  Options.withPseudoName("PATH=V1,V2,..."),
  Options.repeated,
  Options.withDescription(
    "Search only this pool setting, over these values (YAML scalars; cooldowns in milliseconds), such as --knob pool.maxPoolSize=10,20,40. Repeatable. The scenario's own value is always added. Default: the knobs of each policy listed in docs/tuning.md."
  )
)

/**
 * Pool size bounds that let `value` of `path` be checked on its own: another
 * knob may move the other bound, so the scenario's own minimum or maximum
 * must not reject it.
 */
const relaxedBounds = (path: string, value: KnobValue): Readonly<Record<string, KnobValue>> => {
  if (path === "pool.minPoolSize" && typeof value === "number") return { "pool.maxPoolSize": Math.max(1, Math.ceil(value)) }
  if (path === "pool.maxPoolSize") return { "pool.minPoolSize": 0 }
  return {}
}

/**
 * Parses `--knob PATH=V1,V2,...` values against the scenario's pool settings.
 * Throws `InputError` when the form is wrong, the path is not a pool
 * setting (with the nearest key) or is `pool.policy`, a path repeats, or a
 * value makes the pool settings invalid (with the schema's message). Values
 * come back decoded, so durations are milliseconds.
 */
export const parseKnobs = (texts: ReadonlyArray<string>, pool: PoolSettings): Array<KnobOverride> => {
  const knobs: Array<KnobOverride> = []
  for (const text of texts) {
    const equals = text.indexOf("=")
    const path = equals > 0 ? text.slice(0, equals).trim() : ""
    const rawValues = text.slice(equals + 1).split(",").map((value) => value.trim())
    if (path === "" || rawValues.some((value) => value === "")) {
      throw new InputError({ message: `--knob '${text}': expected PATH=V1,V2,..., such as pool.maxPoolSize=10,20,40` })
    }
    if (path === "pool.policy") throw new InputError({ message: `--knob '${text}': choose policies with --policies, not --knob` })
    if (poolValueAt(pool, path) === undefined || !path.startsWith("pool.")) {
      const keys = Object.keys(pool).map((key) => `pool.${key}`)
      const suggestion = nearestKey(path, keys)
      const hint = suggestion === undefined ? "" : ` Did you mean "${suggestion}"?`
      throw new InputError({ message: `--knob '${text}': "${path}" is not a pool setting.${hint} Valid settings: ${keys.join(", ")}` })
    }
    if (knobs.some((knob) => knob.path === path)) throw new InputError({ message: `--knob '${text}': ${path} is given twice. List all its values in one --knob` })

    const values: Array<KnobValue> = []
    for (const raw of rawValues) {
      const value = parseOptionValue(raw, `--knob '${text}': value "${raw}"`)
      if (typeof value !== "number" && typeof value !== "string") {
        throw new InputError({ message: `--knob '${text}': value "${raw}" is not a number or a string` })
      }
      const applied = applySettings(pool, { ...relaxedBounds(path, value), [path]: value })
      if ("problem" in applied) throw new InputError({ message: `--knob '${text}': ${path}=${raw} is invalid: ${applied.problem.replace(/\s+/g, " ")}` })
      // The decoded value, so that `5m` and 300000 are one value, as the scenario's own is.
      const decoded = poolValueAt(applied.pool, path) as KnobValue
      if (!values.includes(decoded)) values.push(decoded)
    }
    knobs.push({ path, values })
  }
  return knobs
}
