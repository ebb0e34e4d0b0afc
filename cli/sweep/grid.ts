import { isScalar, parseDocument } from "yaml"
import { InputError } from "../../sim/scenario/inputError.js"
import { formatValue } from "../../core/formatValue.js"

/** A value that a `--grid` list item or range gives a scenario path. */
export interface GridValue {
  /** Text written after `PATH=` in the `--set` assignment, such as `30s` or `240000`. */
  readonly text: string
  /** The YAML value of `text`: a number, string, boolean or null. */
  readonly value: string | number | boolean | null
}

/** One `--grid PATH=VALUES` argument, parsed. */
export interface GridAxis {
  /** Scenario path as `simulate --set` takes it, such as `pool.queueDepthThreshold` or `workload.0.ratePerHour`. */
  readonly path: string
  /** Values in the order given, each once. */
  readonly values: ReadonlyArray<GridValue>
}

/** One point of the grid: a value for every swept path, in `--grid` order. */
export interface Configuration {
  /** Position in the cartesian product, from 0. The first `--grid` varies slowest. */
  readonly index: number
  readonly settings: ReadonlyArray<{ readonly path: string; readonly value: GridValue }>
  /** `path=text` assignments, as `loadScenario` and `SimulationJob.sets` take them. */
  readonly sets: ReadonlyArray<string>
}

const GRID_FORM = "PATH=VALUES, with VALUES a comma list such as 1,2,5 or 30s,1m, or a range START..END/COUNT such as 60000..600000/4"
const RANGE_FORM = "START..END/COUNT, such as 60000..600000/4 (4 evenly spaced values, both ends included)"
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/
/** Configurations a sweep may have. More is almost surely a typo in a range COUNT, and would exhaust memory before any run. */
export const MAX_CONFIGURATIONS = 100_000
/** Significant digits of fractional range values, so that 0.1 + 0.2 is written 0.3. */
const RANGE_PRECISION = 12

/**
 * Parses one `--grid PATH=VALUES` argument. VALUES is a comma list of YAML
 * scalars (`1,2,5`, `30s,1m`, `queue-depth,queue-depth-busy`), which cannot
 * contain commas themselves, or a range `START..END/COUNT` of COUNT evenly
 * spaced numbers with both ends included. Range values are integers when
 * START, END and the step are. COUNT 1 gives START alone.
 * Throws `InputError` naming the argument, the invalid part and the expected form.
 */
export const parseGridAxis = (argument: string): GridAxis => {
  const equals = argument.indexOf("=")
  const path = equals > 0 ? argument.slice(0, equals).trim() : ""
  const valuesText = equals > 0 ? argument.slice(equals + 1).trim() : ""
  const fail = (problem: string): never => {
    throw new InputError({ message: `--grid ${argument}: ${problem}` })
  }

  if (equals < 0) fail(`missing "=" between PATH and VALUES, expected ${GRID_FORM}`)
  if (path === "") fail(`missing PATH, expected ${GRID_FORM}`)
  if (/(^|\.)(\.|$)/.test(path) || /\s/.test(path)) fail(`invalid PATH "${path}", expected dotted keys such as pool.queueDepthThreshold or workload.0.ratePerHour`)
  if (path === "seed") fail("the seed cannot be swept, because every configuration runs the same seeds. Use --seeds N to set how many")
  if (valuesText === "") fail(`missing VALUES, expected ${GRID_FORM}`)

  const values = !valuesText.includes(",") && valuesText.includes("..") ? parseRange(valuesText, fail) : parseList(valuesText, fail)
  const seen = new Map<string, string>()
  for (const { text, value } of values) {
    const key = formatValue(value)
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      const same = earlier === text ? `"${text}" appears twice` : `"${earlier}" and "${text}" are the same value ${key}`
      fail(`${same}, expected each value once`)
    }
    seen.set(key, text)
  }
  return { path, values }
}

/**
 * Parses every `--grid` argument. Throws `InputError` when there is none,
 * when one is invalid, or when two sweep the same PATH.
 */
export const parseGrid = (argumentsList: ReadonlyArray<string>): ReadonlyArray<GridAxis> => {
  if (argumentsList.length === 0) throw new InputError({ message: `missing --grid: expected at least one --grid ${GRID_FORM}` })
  const axes = argumentsList.map(parseGridAxis)
  for (const [index, axis] of axes.entries()) {
    const earlier = axes.findIndex((other) => other.path === axis.path)
    if (earlier !== index) {
      throw new InputError({
        message: `--grid ${argumentsList[index]}: PATH ${axis.path} is already swept by --grid ${argumentsList[earlier]}. Give each PATH one --grid with all its values`
      })
    }
  }
  const total = axes.reduce((product, axis) => product * axis.values.length, 1)
  if (total > MAX_CONFIGURATIONS) {
    const sizes = axes.map((axis) => axis.values.length).join(" x ")
    throw new InputError({ message: `--grid: ${sizes} = ${total} configurations, above the maximum of ${MAX_CONFIGURATIONS}. Use fewer values` })
  }
  return axes
}

/** Returns the cartesian product of the axes in a stable order: the first axis varies slowest, the last fastest. */
export const gridConfigurations = (axes: ReadonlyArray<GridAxis>): ReadonlyArray<Configuration> => {
  let combinations: Array<ReadonlyArray<GridValue>> = [[]]
  for (const axis of axes) combinations = combinations.flatMap((prefix) => axis.values.map((value) => [...prefix, value]))
  return combinations.map((values, index) => {
    const settings = values.map((value, position) => ({ path: axes[position]!.path, value }))
    return { index, settings, sets: settings.map(({ path, value }) => `${path}=${value.text}`) }
  })
}

/** Formats a configuration's assignments as command-line options, such as `--set pool.queueDepthThreshold=2 --set pool.idleTimeout=5m`. */
export const describeConfiguration = (configuration: Configuration): string =>
  configuration.sets.map((assignment) => `--set ${assignment}`).join(" ")

const parseList = (valuesText: string, fail: (problem: string) => never): Array<GridValue> =>
  valuesText.split(",").map((item, position) => {
    const text = item.trim()
    if (text === "") fail(`value ${position + 1} of the comma list is empty, expected ${GRID_FORM}`)
    const document = parseDocument(text)
    if (document.errors.length > 0 || !isScalar(document.contents)) {
      fail(`value "${text}" is not a YAML scalar, expected a number, word or quoted text such as 5, 30s or queue-depth`)
    }
    const value: unknown = document.toJS()
    if (value !== null && typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      fail(`value "${text}" is not a YAML scalar, expected a number, word or quoted text such as 5, 30s or queue-depth`)
    }
    return { text, value: value as GridValue["value"] }
  })

const parseRange = (valuesText: string, fail: (problem: string) => never): Array<GridValue> => {
  const match = /^(.*?)\.\.(.*?)(?:\/(.*))?$/.exec(valuesText)
  const [startText, endText, countText] = [match?.[1]?.trim() ?? "", match?.[2]?.trim() ?? "", match?.[3]?.trim()]
  if (!NUMBER.test(startText)) fail(`range START "${startText}" is not a number, expected ${RANGE_FORM}`)
  if (!NUMBER.test(endText)) fail(`range END "${endText}" is not a number, expected ${RANGE_FORM}`)
  if (!Number.isFinite(Number(startText)) || !Number.isFinite(Number(endText))) fail(`range ${valuesText} has an END or START too large for a 64-bit float, expected finite numbers`)
  if (countText === undefined) fail(`range ${valuesText} has no /COUNT, expected ${RANGE_FORM}`)
  if (!/^\d+$/.test(countText!) || Number(countText) < 1) {
    fail(`range COUNT "${countText}" is not an integer of 1 or more, expected ${RANGE_FORM}`)
  }
  if (Number(countText) > MAX_CONFIGURATIONS) fail(`range COUNT ${countText} is above the maximum of ${MAX_CONFIGURATIONS} configurations. Use a smaller COUNT`)

  const start = Number(startText)
  const end = Number(endText)
  const count = Number(countText)
  if (count === 1) return [numberValue(start)]
  if (start === end) fail(`range ${valuesText} gives ${count} equal values because START equals END; use COUNT 1 or a different END`)

  const step = (end - start) / (count - 1)
  const integers = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step)
  return Array.from({ length: count }, (_, index) => {
    if (index === count - 1) return numberValue(end)
    const exact = start + index * step
    return numberValue(integers ? exact : Number(exact.toPrecision(RANGE_PRECISION)))
  })
}

const numberValue = (value: number): GridValue => ({ text: String(value), value })
