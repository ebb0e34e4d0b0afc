import { readdirSync, statSync } from "node:fs"
import { basename, dirname, join, resolve } from "node:path"
import { InputError } from "../sim/scenario/inputError.js"

/** Folder that `runner-pool check` searches when no PATH is given. */
export const DEFAULT_SCENARIO_FOLDER = "scenarios/"

/**
 * Returns the scenario files that the PATH arguments name, in a fixed order:
 * the arguments in the order given, and the `*.yaml` files under each folder
 * sorted by path (code-unit order, independent of the locale). A folder is
 * searched recursively without following symbolic links to folders. A file
 * named twice is checked once. Throws `InputError` for a path that does not
 * exist and for a folder without any `*.yaml` file.
 */
export const findScenarioFiles = (paths: ReadonlyArray<string>): ReadonlyArray<string> => {
  const files: Array<string> = []
  const seen = new Set<string>()
  for (const path of paths) {
    for (const file of scenarioFilesAt(path)) {
      const key = resolve(file)
      if (seen.has(key)) continue
      seen.add(key)
      files.push(file)
    }
  }
  return files
}

const scenarioFilesAt = (path: string): ReadonlyArray<string> => {
  let isFolder: boolean
  try {
    isFolder = statSync(path).isDirectory()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === "ENOENT" ? "not found" : `cannot be read (${code})`
    throw new InputError({ message: `scenario path ${path}: ${reason}, expected a scenario file or a folder of *.yaml scenarios` })
  }
  if (!isFolder) return [path]

  const found = yamlFilesUnder(path).sort(compareCodeUnits)
  if (found.length === 0) {
    throw new InputError({ message: `scenario folder ${path}: no *.yaml file found (the folder is searched recursively)` })
  }
  return found
}

const compareCodeUnits = (a: string, b: string): number => {
  if (a === b) return 0
  return a < b ? -1 : 1
}

const yamlFilesUnder = (folder: string): Array<string> => {
  let entries
  try {
    entries = readdirSync(folder, { withFileTypes: true })
  } catch (error) {
    throw new InputError({ message: `scenario folder ${folder}: cannot be read (${(error as NodeJS.ErrnoException).code})` })
  }
  const files: Array<string> = []
  for (const entry of entries) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) files.push(...yamlFilesUnder(path))
    else if (entry.name.endsWith(".yaml") && (entry.isFile() || entry.isSymbolicLink())) files.push(path)
  }
  return files
}

/** Returns the golden file of a scenario file: `NAME.golden.json` beside `NAME.yaml` (or `NAME.yml`, or any other name). */
export const goldenPathOf = (scenarioFile: string): string => {
  const name = basename(scenarioFile).replace(/\.ya?ml$/, "")
  return join(dirname(scenarioFile), `${name}.golden.json`)
}
