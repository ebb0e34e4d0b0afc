import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { paretoFront, type Objective } from "../../../reports/sweep/pareto.js"

type Point = readonly [number, number]

const byCoordinates: ReadonlyArray<Objective<Point>> = [(point) => point[0], (point) => point[1]]

/** The front by definition: items that no other item dominates. */
const bruteForceFront = (points: ReadonlyArray<ReadonlyArray<number>>): Array<number> =>
  points.flatMap((point, index) => {
    const dominated = points.some(
      (other) => other.every((value, position) => value <= point[position]!) && other.some((value, position) => value < point[position]!)
    )
    return dominated ? [] : [index]
  })

describe("paretoFront", () => {
  it("constructed case gives the exact front", () => {
    const points: ReadonlyArray<Point> = [
      [10, 5], // 0: on the front
      [5, 10], // 1: on the front
      [10, 6], // 2: same x as 0, larger y, dominated
      [12, 5], // 3: same y as 0, larger x, dominated
      [5, 10], // 4: duplicate of 1, on the front with it
      [20, 1], // 5: on the front
      [20, 2], // 6: dominated by 5
      [15, 15], // 7: dominated by 0
      [3, 30], // 8: on the front
      [30, 1] // 9: ties 5 on y with larger x, dominated
    ]
    expect(paretoFront(points, byCoordinates)).toEqual([0, 1, 4, 5, 8])
  })

  it("duplicates of a dominated point are all off", () => {
    const points: ReadonlyArray<Point> = [[1, 1], [2, 2], [2, 2]]
    expect(paretoFront(points, byCoordinates)).toEqual([0])
  })

  it("identical points are all on", () => {
    const points: ReadonlyArray<Point> = [[4, 4], [4, 4], [4, 4]]
    expect(paretoFront(points, byCoordinates)).toEqual([0, 1, 2])
  })

  it("empty list has an empty front", () => {
    expect(paretoFront([], byCoordinates)).toEqual([])
  })

  it("infinite objective values are compared", () => {
    const points: ReadonlyArray<Point> = [[0, Infinity], [Infinity, 0], [Infinity, Infinity]]
    expect(paretoFront(points, byCoordinates)).toEqual([0, 1])
  })

  it("one objective keeps every minimum", () => {
    expect(paretoFront([3, 1, 2, 1], [(value: number) => value])).toEqual([1, 3])
  })

  it("three objectives use dominance", () => {
    const points = [
      [1, 2, 3],
      [2, 1, 3],
      [2, 2, 3], // dominated by both above
      [3, 3, 0]
    ]
    const objectives = [0, 1, 2].map((position) => (point: ReadonlyArray<number>) => point[position]!)
    expect(paretoFront(points, objectives)).toEqual([0, 1, 3])
  })

  it("two objectives match brute force", () => {
    const coordinate = fc.integer({ min: 0, max: 6 })
    fc.assert(
      fc.property(fc.array(fc.tuple(coordinate, coordinate), { maxLength: 30 }), (points) => {
        expect(paretoFront(points, byCoordinates)).toEqual(bruteForceFront(points))
      })
    )
  })

  it("no objective throws", () => {
    expect(() => paretoFront([1], [])).toThrow("at least one objective")
  })

  it("NaN objective throws", () => {
    expect(() => paretoFront([[1, Number.NaN] as Point], byCoordinates)).toThrow("Objective 1 of item 0 is NaN")
  })
})
