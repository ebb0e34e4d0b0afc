import { readFileSync } from "node:fs"
import { Either, Schema } from "effect"
import { isMap, isScalar, isSeq, LineCounter, parseDocument, parse as parseYaml, type Document } from "yaml"
import { InputError } from "./inputError.js"
import { describeScenarioIssue } from "./issues.js"
import { Scenario } from "./schema.js"

/** Changes to a scenario on top of its file, as the command line gives them. */
export interface ScenarioOverrides {
  /** Replaces `seed`. */
  readonly seed?: number | undefined
  /**
   * `path=value` assignments such as `pool.maxPoolSize=50` or `workload.0.ratePerHour=30`,
   * applied in order. The value is YAML, and a number in the path indexes a list.
   */
  readonly sets?: ReadonlyArray<string> | undefined
}

/**
 * Reads, parses and decodes a scenario file. Throws `InputError` when the
 * file is missing or is a folder, is not valid YAML, or does not match the
 * scenario schema, and when an override is malformed. The message names the
 * file, the line and key path, the value and what is expected.
 */
export const loadScenario = (file: string, overrides: ScenarioOverrides = {}): Scenario =>
  parseScenario(readText(file), file, overrides)

/**
 * Parses and decodes the text of a scenario file; `file` names it in
 * messages. Throws `InputError` as `loadScenario` does.
 */
export const parseScenario = (text: string, file: string, overrides: ScenarioOverrides = {}): Scenario => {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  const yamlError = document.errors[0]
  if (yamlError !== undefined) {
    const { line, col } = lineCounter.linePos(yamlError.pos[0])
    throw new InputError({ message: `${file}:${line}:${col}: invalid YAML: ${firstLine(yamlError.message)}` })
  }
  if (!isMap(document.contents)) {
    throw new InputError({
      message: `${file}: expected a mapping of scenario keys (name, horizon, workload, ...), got ${describeTopLevel(document.toJS())}`
    })
  }

  const assigned = new Map<string, string>()
  for (const assignment of overrides.sets ?? []) assigned.set(applySet(document, assignment), `--set ${assignment}`)
  if (overrides.seed !== undefined) {
    document.set("seed", overrides.seed)
    assigned.set("seed", `--seed ${overrides.seed}`)
  }

  const data: unknown = document.toJS()
  const decoded = Schema.decodeUnknownEither(Scenario, { onExcessProperty: "error" })(data)
  if (Either.isRight(decoded)) return decoded.right
  throw new InputError({ message: describeScenarioIssue(decoded.left, { file, document, lineCounter, data, assigned }) })
}

const readText = (file: string): string => {
  try {
    return readFileSync(file, "utf8")
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    let reason = `cannot be read (${code})`
    if (code === "ENOENT") reason = "not found"
    if (code === "EISDIR") reason = "is a folder, expected a YAML file"
    throw new InputError({ message: `scenario file ${file}: ${reason}` })
  }
}

/**
 * Applies one `path=value` assignment to the document and returns the
 * dotted path it set. Missing mappings on the way are created, and a list
 * index may be at most the list's length, which appends an item.
 */
const applySet = (document: Document, assignment: string): string => {
  const equals = assignment.indexOf("=")
  const path = equals > 0 ? assignment.slice(0, equals).trim() : ""
  if (path === "" || /(^|\.)(\.|$)/.test(path)) {
    throw new InputError({ message: `--set ${assignment}: expected PATH=VALUE, such as pool.maxPoolSize=50 or workload.0.ratePerHour=30` })
  }
  const keys = path.split(".").map((key) => (/^\d+$/.test(key) ? Number(key) : key))
  checkSetPath(document, keys, assignment)

  document.setIn(keys, parseOptionValue(assignment.slice(equals + 1), `--set ${assignment}: the value`))
  return path
}

/**
 * Parses the YAML value of a command-line option. Throws `InputError`
 * "SUBJECT is not valid YAML (reason)" when it is not valid YAML. YAML
 * warnings, such as an unresolved tag, are off, because the schema check
 * that follows reports the value in one line.
 */
export const parseOptionValue = (text: string, subject: string): unknown => {
  try {
    return parseYaml(text, { logLevel: "error" })
  } catch (error) {
    const reason = firstLine(error instanceof Error ? error.message : String(error))
    throw new InputError({ message: `${subject} is not valid YAML (${reason})` })
  }
}

/** Throws `InputError` when `keys` passes through a single value or indexes a list with a name or past its end. */
const checkSetPath = (document: Document, keys: ReadonlyArray<string | number>, assignment: string): void => {
  let node: unknown = document.contents
  for (const [depth, key] of keys.entries()) {
    const parent = keys.slice(0, depth).join(".")
    if (isSeq(node)) {
      if (typeof key !== "number") {
        throw new InputError({ message: `--set ${assignment}: ${parent} is a list, expected an index such as ${parent}.0` })
      }
      if (key > node.items.length) {
        throw new InputError({
          message: `--set ${assignment}: ${parent} has ${node.items.length} item${node.items.length === 1 ? "" : "s"}, expected an index from 0 to ${node.items.length}`
        })
      }
      node = node.items[key]
    } else if (isMap(node)) {
      node = node.get(key, true)
    } else if (node === undefined) {
      return
    } else {
      const value = isScalar(node) ? JSON.stringify(node.value) : "a value"
      throw new InputError({ message: `--set ${assignment}: ${parent} is ${value}, not a mapping, so it has no key "${key}"` })
    }
  }
}

const firstLine = (text: string): string => text.split("\n")[0]!.trim()

const describeTopLevel = (value: unknown): string =>
  value === null || value === undefined ? "an empty file" : Array.isArray(value) ? "a list" : `the single value ${JSON.stringify(value)}`
