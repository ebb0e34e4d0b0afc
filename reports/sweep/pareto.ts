/** A number to minimise, read from an item. */
export type Objective<T> = (item: T) => number

/**
 * Returns the indices, ascending, of the items on the Pareto front when every
 * objective is minimised. An item is on the front unless another item is
 * less than or equal to it in every objective and strictly less in at least
 * one. So items with identical objective values are all on the front or all
 * off it. With two objectives this takes O(n log n) time, otherwise
 * O(n² · objectives). Throws a RangeError when there is no objective or an
 * objective value is NaN.
 */
export const paretoFront = <T>(items: ReadonlyArray<T>, objectives: ReadonlyArray<Objective<T>>): Array<number> => {
  if (objectives.length === 0) throw new RangeError("A Pareto front needs at least one objective.")
  const points = items.map((item, index) =>
    objectives.map((objective, position) => {
      const value = objective(item)
      if (Number.isNaN(value)) throw new RangeError(`Objective ${position} of item ${index} is NaN, expected a number.`)
      return value
    })
  )
  return objectives.length === 2 ? frontOfTwo(points) : frontOfMany(points)
}

/**
 * Sorts by the first objective and sweeps, keeping the least second
 * objective seen among strictly smaller first objectives. Within a group of
 * equal first objectives only the items with the group's least second
 * objective can be on the front, and they are when that value is strictly
 * below every earlier group's.
 */
const frontOfTwo = (points: ReadonlyArray<ReadonlyArray<number>>): Array<number> => {
  const order = points.map((_, index) => index).sort((a, b) => compare(points[a]![0]!, points[b]![0]!) || compare(points[a]![1]!, points[b]![1]!))
  const front: Array<number> = []
  let bestSecond: number | undefined
  let start = 0
  while (start < order.length) {
    const first = points[order[start]!]![0]!
    let end = start
    while (end < order.length && points[order[end]!]![0]! === first) end += 1

    // The group is sorted by the second objective, so its least value comes first.
    const groupBest = points[order[start]!]![1]!
    if (bestSecond === undefined || groupBest < bestSecond) {
      for (let position = start; position < end && points[order[position]!]![1]! === groupBest; position++) front.push(order[position]!)
      bestSecond = groupBest
    }
    start = end
  }
  return front.sort((a, b) => a - b)
}

/** Compares two numbers for `Array.prototype.sort`, with infinities equal to themselves (`Infinity - Infinity` is NaN). */
const compare = (a: number, b: number): number => {
  if (a < b) return -1
  if (a > b) return 1
  return 0
}

const frontOfMany = (points: ReadonlyArray<ReadonlyArray<number>>): Array<number> =>
  points.flatMap((point, index) => (points.some((other) => dominates(other, point)) ? [] : [index]))

/** Returns whether `a` dominates `b`: less than or equal in every objective and strictly less in one. */
const dominates = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  let strictly = false
  for (const [position, value] of a.entries()) {
    if (value > b[position]!) return false
    if (value < b[position]!) strictly = true
  }
  return strictly
}
