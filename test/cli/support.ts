import { execFile } from "node:child_process"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { expect } from "vitest"

// The CLI runs from source through tsx's loader, so tests never depend on a
// stale dist/. Each run starts a Node.js process, which takes seconds on a
// busy machine, so tests that run it should run concurrently.
const ROOT = resolve(import.meta.dirname, "../..")
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href
const MAIN = join(ROOT, "cli/main.ts")

/** The repository root, for paths to scenarios and fixtures. */
export const REPOSITORY_ROOT = ROOT

/** Exit code and output of one CLI run; `code` is null when the process was killed. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `runner-pool ARGS` in `cwd` and resolves with its exit code and output, whatever the code. */
export const runCli = (args: ReadonlyArray<string>, cwd: string, timeoutMs = 50_000): Promise<CliResult> =>
  new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      ["--import", TSX_LOADER, MAIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1" }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        let code: number | null = 0
        if (error !== null) code = typeof error.code === "number" ? error.code : null
        resolvePromise({ code, stdout, stderr })
      }
    )
  })

/**
 * Drops the plain progress lines (`sweep: 10% 1/8 runs, ETA 48s`) that long
 * commands print on stderr when it is not a terminal.
 */
export const withoutProgress = (stderr: string): string => stderr.replace(/^[^\n]*: \d+%[^\n]*\n/gm, "")

/**
 * Checks the contract of invalid input: exit code 2, one `error: ` line on
 * stderr and no stack trace. Returns that line.
 */
export const expectInputError = (result: CliResult): string => {
  expect(result.code).toBe(2)
  expect(result.stderr).not.toMatch(/^ {4}at /m)
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "")
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^error: /)
  return lines[0]!
}
