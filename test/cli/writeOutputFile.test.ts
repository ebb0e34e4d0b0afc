import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { writeOutputFile } from "../../cli/output.js"

const folder = (): string => mkdtempSync(join(tmpdir(), "write-output-"))

describe("writeOutputFile", () => {
  it("replaces the file and leaves nothing beside it", () => {
    const directory = folder()
    const path = join(directory, "results.json")
    writeFileSync(path, "old")
    writeOutputFile(path, "new")
    expect(readFileSync(path, "utf8")).toBe("new")
    expect(readdirSync(directory)).toEqual(["results.json"])
  })

  it("keeps the previous file when the write fails", () => {
    const directory = folder()
    const path = join(directory, "results.json")
    writeFileSync(path, "old")
    // A folder where the temporary file goes makes the write fail.
    mkdirSync(`${path}.partial`)
    let failure: NodeJS.ErrnoException | undefined
    try {
      writeOutputFile(path, "new")
    } catch (error) {
      failure = error as NodeJS.ErrnoException
    }
    expect(failure?.code).toBe("EISDIR")
    expect(failure?.path).toBe(path)
    expect(readFileSync(path, "utf8")).toBe("old")
    expect(existsSync(`${path}.partial`)).toBe(true)
  })
})
