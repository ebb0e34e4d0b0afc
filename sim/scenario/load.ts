import { readFileSync } from "node:fs"
import { Either, ParseResult, Schema } from "effect"
import { LineCounter, parseDocument, parse as parseYaml, type Document } from "yaml"
import { InputError, nearestKey } from "./inputError.js"
import { Scenario } from "./schema.js"

/** Changes to a scenario on top of its file, as the command line gives them. */
export interface ScenarioOverrides {
  /** Replaces `seed`. */
  readonly seed?: number | undefined
  /** `path=value` assignments such as `pool.maxPoolSize=50` or `workload.0.ratePerHour=30`; the value is YAML. */
  readonly sets?: ReadonlyArray<string> | undefined
}

/**
 * Reads, parses and decodes a scenario file. Throws `InputError` naming the
 * file, the line and key path, the value and what is expected when the file
 * is missing, is not valid YAML, or does not match the scenario schema.
 */
export const loadScenario = (file: string, overrides: ScenarioOverrides = {}): Scenario => {
  const text = readText(file)
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  const yamlError = document.errors[0]
  if (yamlError !== undefined) {
    const { line, col } = lineCounter.linePos(yamlError.pos[0])
    throw new InputError({ message: `${file}:${line}:${col}: invalid YAML: ${firstLine(yamlError.message)}` })
  }
  const assigned = new Set<string>()
  for (const assignment of overrides.sets ?? []) assigned.add(applySet(document, assignment))
  if (overrides.seed !== undefined) document.set("seed", overrides.seed)

  const raw: unknown = document.toJS()
  if (!isPlainObject(raw)) throw new InputError({ message: `${file}: expected a mapping of scenario keys (name, horizon, pool, ...), got ${describe(raw)}` })
  const decoded = Schema.decodeUnknownEither(Scenario, { onExcessProperty: "error" })(raw)
  if (Either.isRight(decoded)) return decoded.right
  const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]!
  throw new InputError({ message: describeIssue(file, document, lineCounter, issue, assigned) })
}

const readText = (file: string): string => {
  try {
    return readFileSync(file, "utf8")
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a folder, expected a YAML file" : `cannot be read (${code})`
    throw new InputError({ message: `scenario file ${file}: ${reason}` })
  }
}

/** Applies one `path=value` assignment and returns the dotted path it set. */
const applySet = (document: Document, assignment: string): string => {
  const equals = assignment.indexOf("=")
  const path = equals > 0 ? assignment.slice(0, equals).trim() : ""
  if (path === "" || /(^|\.)(\.|$)/.test(path)) {
    throw new InputError({ message: `--set ${assignment}: expected path=value, such as pool.maxPoolSize=50` })
  }
  const keys = path.split(".").map((key) => (/^\d+$/.test(key) ? Number(key) : key))
  let value: unknown
  try {
    value = parseYaml(assignment.slice(equals + 1))
  } catch {
    throw new InputError({ message: `--set ${assignment}: the value is not valid YAML` })
  }
  document.setIn(keys, value)
  return path
}

const describeIssue = (
  file: string,
  document: Document,
  lineCounter: LineCounter,
  issue: ParseResult.ArrayFormatterIssue,
  assigned: ReadonlySet<string>
): string => {
  const path = issue.path.map(String)
  const dotted = path.join(".")
  const where = assigned.has(dotted) ? `${file} (--set ${dotted})` : locate(file, document, lineCounter, issue.path)
  if (issue._tag === "Unexpected") {
    const key = path[path.length - 1] ?? ""
    const expected = [...issue.message.matchAll(/"([^"]+)"/g)].map((match) => match[1]!)
    const suggestion = nearestKey(key, expected)
    const hint = suggestion !== undefined ? `; did you mean "${suggestion}"?` : expected.length > 0 ? `; expected one of ${expected.join(", ")}` : ""
    return `${where}: unknown key "${dotted}"${hint}`
  }
  if (issue._tag === "Missing") return `${where}: ${dotted || "scenario"} is missing`
  return `${where}: ${dotted || "scenario"}: ${cleanMessage(issue.message)}`
}

/** `file:line` of the node at a key path, or of its closest existing parent. */
const locate = (file: string, document: Document, lineCounter: LineCounter, path: ReadonlyArray<PropertyKey>): string => {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as Array<unknown>, true) as { range?: [number, number, number] } | undefined
    if (node !== null && typeof node === "object" && node.range !== undefined) {
      return `${file}:${lineCounter.linePos(node.range[0]).line}`
    }
    if (length === 0) break
  }
  return file
}

/** Shortens Effect's messages ("Expected a number, actual "x"") into one line. */
const cleanMessage = (message: string): string => firstLine(message).replace(/^Expected /, "expected ").replace(/, actual /, ", got ")

const firstLine = (text: string): string => text.split("\n")[0]!.trim()

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const describe = (value: unknown): string => (value === null || value === undefined ? "an empty file" : Array.isArray(value) ? "a list" : JSON.stringify(value))

