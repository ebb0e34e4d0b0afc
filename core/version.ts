/**
 * Compares two dotted agent versions (`2.311.0`) part by part, numerically
 * where both parts are numbers. Returns a negative number when `a` is older.
 */
export const compareVersions = (a: string, b: string): number => {
  if (a === b) return 0
  const left = a.split(/[.-]/)
  const right = b.split(/[.-]/)
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
