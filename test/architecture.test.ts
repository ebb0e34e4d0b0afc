import { existsSync, readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import path from "node:path"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const repoRoot = fileURLToPath(new URL("..", import.meta.url))

/** One import that breaks the layer rules. */
export interface ImportViolation {
  /** Repository-relative path of the importing file, with `/` separators. */
  readonly file: string
  /** 1-based line of the import. */
  readonly line: number
  /** Module specifier as written, or the source text of a computed `import(...)` argument. */
  readonly specifier: string
  /** Rule that the import breaks, as a sentence. */
  readonly reason: string
}

/**
 * Layer folders whose imports are checked, with the repository folders that each
 * must not import from. `checkCoreImport` applies the stricter rules of `core`.
 */
const forbiddenFolders: Readonly<Record<string, ReadonlyArray<string>>> = {
  sim: ["reports", "cli", "adapters"],
  reports: ["sim", "cli", "adapters"],
}

/** Folders that `architecture.test.ts` scans, each checked by `findImportViolations`. */
export const checkedFolders = ["core", ...Object.keys(forbiddenFolders)] as const

/** Returns the package name of a bare specifier: `effect/Schema` gives `effect`, `@a/b/c` gives `@a/b`. */
const packageName = (specifier: string): string => {
  const parts = specifier.split("/")
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier)
}

const isRelative = (specifier: string): boolean => specifier.startsWith("./") || specifier.startsWith("../")

/** Returns the top-level repository folder that a relative specifier resolves into, or `..` when it leaves the repository. */
const targetFolder = (file: string, specifier: string): string => {
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
  return resolved.split("/")[0] ?? resolved
}

const checkCoreImport = (file: string, specifier: string): string | undefined => {
  if (isRelative(specifier)) {
    const folder = targetFolder(file, specifier)
    return folder === "core" ? undefined : `core may import only from core/ and effect, but this resolves into ${folder}/`
  }
  if (specifier.startsWith("node:")) {
    return "core may not import Node builtins. Reach the platform through the ports in core/ports.ts"
  }
  if (packageName(specifier) !== "effect") {
    return `core may import only the package effect, not ${packageName(specifier)}`
  }
  return undefined
}

const checkLayerImport = (layer: string, file: string, specifier: string): string | undefined => {
  if (layer === "core") return checkCoreImport(file, specifier)
  if (!isRelative(specifier)) return undefined
  const folder = targetFolder(file, specifier)
  return forbiddenFolders[layer]?.includes(folder) ? `${layer} may not import from ${folder}/` : undefined
}

interface ImportSite {
  readonly node: ts.Node
  /** Literal module specifier, or undefined when it is computed at run time. */
  readonly specifier: string | undefined
  readonly text: string
}

/** Collects every module reference: static imports, re-exports, `import(...)`, `import x = require(...)`, `require(...)` and `import("x").T` types. */
const collectImportSites = (source: ts.SourceFile): Array<ImportSite> => {
  const sites: Array<ImportSite> = []
  const add = (node: ts.Node, argument: ts.Node | undefined): void => {
    if (argument === undefined) return
    const literal = ts.isStringLiteralLike(argument) ? argument.text : undefined
    sites.push({ node, specifier: literal, text: literal ?? argument.getText(source) })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression)
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require"
      if (isImport || isRequire) add(node, node.arguments[0])
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return sites
}

/**
 * Parses one TypeScript source and returns the imports that break the layer rules.
 *
 * - `core/` imports only from `core/` and the `effect` package, so no other package and no `node:` builtin.
 * - `sim/` does not import from `reports/`, `cli/` or `adapters/`.
 * - `reports/` does not import from `sim/`, `cli/` or `adapters/`.
 *
 * A computed `import(...)` or `require(...)` in a checked folder is a violation,
 * because its target cannot be checked. Files outside the checked folders return
 * no violations.
 *
 * @param file repository-relative path with `/` separators, such as `core/model.ts`
 * @param text the file's source text
 */
export const findImportViolations = (file: string, text: string): Array<ImportViolation> => {
  const layer = file.split("/")[0] ?? ""
  if (!(checkedFolders as ReadonlyArray<string>).includes(layer)) return []

  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const violations: Array<ImportViolation> = []
  for (const site of collectImportSites(source)) {
    const reason =
      site.specifier === undefined
        ? `${layer} may not import a computed module specifier, because its target cannot be checked`
        : checkLayerImport(layer, file, site.specifier)
    if (reason === undefined) continue
    const line = source.getLineAndCharacterOfPosition(site.node.getStart(source)).line + 1
    violations.push({ file, line, specifier: site.text, reason })
  }
  return violations
}

const formatViolation = (violation: ImportViolation): string =>
  `${violation.file}:${violation.line} imports "${violation.specifier}": ${violation.reason}`

/** Lists the repository-relative paths of the TypeScript files under one top-level folder, sorted. */
const listTypeScriptFiles = (folder: string): Array<string> => {
  const absolute = path.join(repoRoot, folder)
  if (!existsSync(absolute)) return []
  return readdirSync(absolute, { recursive: true, encoding: "utf8" })
    .filter((entry) => /\.[cm]?tsx?$/.test(entry))
    .map((entry) => `${folder}/${entry.split(path.sep).join("/")}`)
    .sort()
}

const violationsIn = (folder: string): Array<string> =>
  listTypeScriptFiles(folder).flatMap((file) =>
    findImportViolations(file, readFileSync(path.join(repoRoot, file), "utf8")).map(formatViolation),
  )

describe("layer imports in the repository", () => {
  it("core has source files to check", () => {
    expect(listTypeScriptFiles("core").length).toBeGreaterThan(0)
  })

  it.each(checkedFolders)("%s follows its import rules", (folder) => {
    expect(violationsIn(folder)).toEqual([])
  })
})

describe("findImportViolations", () => {
  const specifiersOf = (file: string, text: string): Array<string> =>
    findImportViolations(file, text).map((violation) => violation.specifier)

  it("core allows effect and core imports", () => {
    const text = [
      `import { Effect } from "effect"`,
      `import * as Schema from "effect/Schema"`,
      `import type { Pool } from "../model.js"`,
      `export { tick } from "./loop.js"`,
      `const lazy = () => import("./state.js")`,
    ].join("\n")
    expect(findImportViolations("core/controller/sample.ts", text)).toEqual([])
  })

  it("core rejects other layers", () => {
    const text = [
      `import { run } from "../sim/kernel/kernel.js"`,
      `export { render } from "../reports/html.js"`,
      `const main = () => import("../cli/main.js")`,
      `import type { Cloud } from "../adapters/cloud.js"`,
    ].join("\n")
    expect(findImportViolations("core/sample.ts", text)).toEqual([
      { file: "core/sample.ts", line: 1, specifier: "../sim/kernel/kernel.js", reason: expect.stringContaining("sim/") },
      { file: "core/sample.ts", line: 2, specifier: "../reports/html.js", reason: expect.stringContaining("reports/") },
      { file: "core/sample.ts", line: 3, specifier: "../cli/main.js", reason: expect.stringContaining("cli/") },
      { file: "core/sample.ts", line: 4, specifier: "../adapters/cloud.js", reason: expect.stringContaining("adapters/") },
    ])
  })

  it("core rejects packages and builtins", () => {
    const text = [
      `import seedrandom from "seedrandom"`,
      `import { readFile } from "node:fs/promises"`,
      `import { parse } from "yaml"`,
      `import { Command } from "@effect/cli"`,
      `type Stats = import("node:fs").Stats`,
      `import fs = require("fs")`,
    ].join("\n")
    expect(specifiersOf("core/sample.ts", text)).toEqual([
      "seedrandom",
      "node:fs/promises",
      "yaml",
      "@effect/cli",
      "node:fs",
      "fs",
    ])
  })

  it("core rejects computed dynamic imports", () => {
    const text = `const name = "x"\nexport const load = () => import(name)`
    expect(findImportViolations("core/sample.ts", text)).toEqual([
      { file: "core/sample.ts", line: 2, specifier: "name", reason: expect.stringContaining("computed") },
    ])
  })

  it("ignores imports in comments and strings", () => {
    const text = [
      `// import { run } from "../sim/kernel.js"`,
      `/* export * from "node:fs" */`,
      `export const example = 'import x from "yaml"'`,
    ].join("\n")
    expect(findImportViolations("core/sample.ts", text)).toEqual([])
  })

  it("sim rejects reports, cli and adapters", () => {
    const text = [
      `import { Effect } from "effect"`,
      `import seedrandom from "seedrandom"`,
      `import type { Pool } from "../../core/model.js"`,
      `import { chart } from "../../reports/charts.js"`,
      `export * from "../../cli/main.js"`,
      `const cloud = () => import("../../adapters/cloud.js")`,
    ].join("\n")
    expect(specifiersOf("sim/kernel/sample.ts", text)).toEqual([
      "../../reports/charts.js",
      "../../cli/main.js",
      "../../adapters/cloud.js",
    ])
  })

  it("reports rejects sim, cli and adapters", () => {
    const text = [
      `import type { Pool } from "../core/model.js"`,
      `import { Chart } from "chart.js"`,
      `import { run } from "../sim/kernel/kernel.js"`,
      `import { main } from "../cli/main.js"`,
      `import { cloud } from "../adapters/cloud.js"`,
    ].join("\n")
    expect(specifiersOf("reports/sample.ts", text)).toEqual([
      "../sim/kernel/kernel.js",
      "../cli/main.js",
      "../adapters/cloud.js",
    ])
  })

  it("unchecked folders return nothing", () => {
    expect(findImportViolations("cli/sample.ts", `import { run } from "../sim/kernel.js"`)).toEqual([])
  })
})
