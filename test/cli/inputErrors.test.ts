import { describe, expect, it } from "vitest"
import { outputWriteError } from "../../cli/inputErrors.js"

/** Returns an error as Node.js raises it for a failed file system call. */
const errnoError = (code: string, path?: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: failed`), { code, path })

describe("outputWriteError", () => {
  it.each([
    ["EFBIG", "out/results.json", "cannot write output to out/results.json: the file would exceed the maximum file size (see ulimit -f) (EFBIG)"],
    ["ENOSPC", undefined, "cannot write output to out: no space left on the device (ENOSPC)"],
    ["EACCES", "out", "cannot write output to out: permission denied (EACCES)"]
  ])("names the path and reason of %s", (code, path, start) => {
    expect(outputWriteError(errnoError(code, path), "out")?.message).toBe(`${start}. Choose another folder with --out (now out).`)
  })

  it("leaves other errors to the caller", () => {
    expect(outputWriteError(errnoError("EIO", "out"), "out")).toBeUndefined()
    expect(outputWriteError(new RangeError("bug"), "out")).toBeUndefined()
  })
})
