/**
 * Compares two agent versions (`2.311.0`, `2.312.0-rc.1`) in semantic
 * versioning order: release parts numerically, then a version with a
 * pre-release tag below the same version without one. Returns a negative
 * number when `a` is older, 0 when equal, a positive number when newer.
 */
export const compareVersions = (a: string, b: string): number => {
  if (a === b) return 0
  const [releaseA = "", ...preA] = a.split("-")
  const [releaseB = "", ...preB] = b.split("-")
  const byRelease = compareParts(releaseA.split("."), releaseB.split("."))
  if (byRelease !== 0) return byRelease
  if (preA.length === 0 || preB.length === 0) return preB.length - preA.length
  return compareParts(preA.join("-").split("."), preB.join("-").split("."))
}

/** Compares dot-separated parts, numerically where both are numbers; a missing part counts as 0. */
const compareParts = (left: ReadonlyArray<string>, right: ReadonlyArray<string>): number => {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? "0"
    const y = right[i] ?? "0"
    if (x === y) continue
    const nx = Number(x)
    const ny = Number(y)
    if (Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny
    return x < y ? -1 : 1
  }
  return 0
}
