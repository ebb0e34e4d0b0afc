import { describe, expect, it } from "vitest"
import { gridConfigurations, MAX_CONFIGURATIONS, parseGrid, parseGridAxis } from "../../cli/sweep/grid.js"

/** The values of one `--grid` argument, as YAML values. */
const valuesOf = (argument: string) => parseGridAxis(argument).values.map((value) => value.value)

/** The `--set` texts of one `--grid` argument. */
const textsOf = (argument: string) => parseGridAxis(argument).values.map((value) => value.text)

/** Runs `step` and returns the message of the InputError it throws. */
const errorOf = (step: () => unknown): string => {
  try {
    step()
  } catch (error) {
    expect((error as { _tag?: string })._tag).toBe("InputError")
    return (error as Error).message
  }
  throw new Error("expected an InputError, but nothing was thrown")
}

describe("grid lists", () => {
  it("numbers keep their order", () => {
    const axis = parseGridAxis("pool.queueDepthThreshold=1,2,5,10")
    expect(axis.path).toBe("pool.queueDepthThreshold")
    expect(axis.values.map((value) => value.value)).toEqual([1, 2, 5, 10])
  })

  it("YAML scalars parse like --set", () => {
    expect(valuesOf("pool.idleTimeout=30s,1m,off")).toEqual(["30s", "1m", "off"])
    expect(valuesOf("pool.policy=queue-depth,queue-depth-busy")).toEqual(["queue-depth", "queue-depth-busy"])
    expect(valuesOf("x.flag=true,false,null")).toEqual([true, false, null])
    expect(valuesOf("x.rate=0.5,1e3,-2")).toEqual([0.5, 1000, -2])
    expect(valuesOf(`x.name="a b",'c'`)).toEqual(["a b", "c"])
    expect(valuesOf("x.rate=.inf,-.inf,.nan,null")).toEqual([Infinity, -Infinity, NaN, null])
  })

  it("items are trimmed and keep their text", () => {
    expect(textsOf("pool.idleTimeout= 30s , 1m ")).toEqual(["30s", "1m"])
  })

  it("single value is a list of one", () => {
    expect(valuesOf("pool.maxPoolSize=8")).toEqual([8])
  })

  it("list index in PATH is kept", () => {
    expect(parseGridAxis("workload.0.ratePerHour=30,60").path).toBe("workload.0.ratePerHour")
  })
})

describe("grid ranges", () => {
  it("integer range includes both ends", () => {
    expect(valuesOf("pool.scaleUpCooldownMs=60000..600000/4")).toEqual([60000, 240000, 420000, 600000])
    expect(textsOf("pool.scaleUpCooldownMs=60000..600000/4")).toEqual(["60000", "240000", "420000", "600000"])
  })

  it("fractional range rounds floating error", () => {
    expect(valuesOf("cloud.bootFailureRate=0..0.3/4")).toEqual([0, 0.1, 0.2, 0.3])
    expect(valuesOf("x.rate=0.5..1.5/3")).toEqual([0.5, 1, 1.5])
  })

  it("integer ends with fractional step", () => {
    const values = valuesOf("x.rate=0..10/4")
    expect(values).toHaveLength(4)
    expect(values[0]).toBe(0)
    expect(values[1]).toBeCloseTo(10 / 3, 10)
    expect(values[2]).toBeCloseTo(20 / 3, 10)
    expect(values[3]).toBe(10)
  })

  it("descending range", () => {
    expect(valuesOf("pool.maxPoolSize=10..4/3")).toEqual([10, 7, 4])
  })

  it("COUNT 1 gives START only", () => {
    expect(valuesOf("pool.maxPoolSize=5..50/1")).toEqual([5])
  })

  it("COUNT 2 gives both ends", () => {
    expect(valuesOf("pool.maxPoolSize=5..50/2")).toEqual([5, 50])
  })
})

describe("grid errors", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["pool.maxPoolSize", '--grid pool.maxPoolSize: missing "=" between PATH and VALUES, expected PATH=VALUES, with VALUES a comma list'],
    ["=1,2", "--grid =1,2: missing PATH, expected PATH=VALUES"],
    ["pool.maxPoolSize=", "--grid pool.maxPoolSize=: missing VALUES, expected PATH=VALUES"],
    ["pool..maxPoolSize=1", '--grid pool..maxPoolSize=1: invalid PATH "pool..maxPoolSize", expected dotted keys'],
    ["pool.=1", '--grid pool.=1: invalid PATH "pool.", expected dotted keys'],
    ["seed=1,2", "--grid seed=1,2: the seed cannot be swept, because every configuration runs the same seeds. Use --seeds N to set how many"],
    ["pool.maxPoolSize=1,,2", "--grid pool.maxPoolSize=1,,2: value 2 of the comma list is empty"],
    ["pool.maxPoolSize=1,2,", "--grid pool.maxPoolSize=1,2,: value 3 of the comma list is empty"],
    ["pool.maxPoolSize=1,[2]", '--grid pool.maxPoolSize=1,[2]: value "[2]" is not a YAML scalar'],
    ["pool.maxPoolSize=1,2,1", '--grid pool.maxPoolSize=1,2,1: "1" appears twice, expected each value once'],
    ["pool.maxPoolSize=1,1.0", '--grid pool.maxPoolSize=1,1.0: "1" and "1.0" are the same value 1, expected each value once'],
    ["pool.maxPoolSize=.inf,+.inf", '--grid pool.maxPoolSize=.inf,+.inf: ".inf" and "+.inf" are the same value Infinity, expected each value once'],
    ["pool.maxPoolSize=a..5/3", '--grid pool.maxPoolSize=a..5/3: range START "a" is not a number, expected START..END/COUNT'],
    ["pool.maxPoolSize=1..b/3", '--grid pool.maxPoolSize=1..b/3: range END "b" is not a number, expected START..END/COUNT'],
    ["pool.maxPoolSize=1..5", "--grid pool.maxPoolSize=1..5: range 1..5 has no /COUNT, expected START..END/COUNT"],
    ["pool.maxPoolSize=1..5/0", '--grid pool.maxPoolSize=1..5/0: range COUNT "0" is not an integer of 1 or more'],
    ["pool.maxPoolSize=1..5/2.5", '--grid pool.maxPoolSize=1..5/2.5: range COUNT "2.5" is not an integer of 1 or more'],
    ["pool.maxPoolSize=1..5/", '--grid pool.maxPoolSize=1..5/: range COUNT "" is not an integer of 1 or more'],
    ["pool.maxPoolSize=3..3/4", "--grid pool.maxPoolSize=3..3/4: range 3..3/4 gives 4 equal values because START equals END"],
    ["pool.maxPoolSize=1..1e400/2", "--grid pool.maxPoolSize=1..1e400/2: range 1..1e400/2 has an END or START too large for a 64-bit float, expected finite numbers"],
    ["pool.maxPoolSize=1..5/1000001", `--grid pool.maxPoolSize=1..5/1000001: range COUNT 1000001 is above the maximum of ${MAX_CONFIGURATIONS} configurations. Use a smaller COUNT`]
  ]

  for (const [argument, message] of cases) {
    it(`rejects ${argument}`, () => {
      expect(errorOf(() => parseGridAxis(argument))).toContain(message)
    })
  }

  it("every error names the expected form", () => {
    for (const [argument] of cases) expect(errorOf(() => parseGridAxis(argument))).toMatch(/expected|use /i)
  })

  it("duplicate PATH is rejected", () => {
    expect(errorOf(() => parseGrid(["pool.maxPoolSize=1,2", "pool.idleTimeout=5m", "pool.maxPoolSize=3"]))).toBe(
      "--grid pool.maxPoolSize=3: PATH pool.maxPoolSize is already swept by --grid pool.maxPoolSize=1,2. Give each PATH one --grid with all its values"
    )
  })

  it("missing --grid is rejected", () => {
    expect(errorOf(() => parseGrid([]))).toMatch(/^missing --grid: expected at least one --grid PATH=VALUES/)
  })

  it("too many configurations are rejected", () => {
    const message = errorOf(() => parseGrid(["a.b=1..1000/1000", "a.c=1..1000/1000"]))
    expect(message).toBe(`--grid: 1000 x 1000 = 1000000 configurations, above the maximum of ${MAX_CONFIGURATIONS}. Use fewer values`)
  })
})

describe("gridConfigurations", () => {
  it("first grid varies slowest", () => {
    const configurations = gridConfigurations(parseGrid(["a.x=1,2", "a.y=p,q,r"]))
    expect(configurations.map((configuration) => configuration.sets)).toEqual([
      ["a.x=1", "a.y=p"],
      ["a.x=1", "a.y=q"],
      ["a.x=1", "a.y=r"],
      ["a.x=2", "a.y=p"],
      ["a.x=2", "a.y=q"],
      ["a.x=2", "a.y=r"]
    ])
    expect(configurations.map((configuration) => configuration.index)).toEqual([0, 1, 2, 3, 4, 5])
  })

  it("settings carry paths and values", () => {
    const [first] = gridConfigurations(parseGrid(["pool.idleTimeout=30s", "pool.maxPoolSize=4..8/2"]))
    expect(first!.settings.map(({ path, value }) => [path, value.value])).toEqual([
      ["pool.idleTimeout", "30s"],
      ["pool.maxPoolSize", 4]
    ])
  })

  it("three grids give the full product", () => {
    expect(gridConfigurations(parseGrid(["a.x=1,2", "a.y=1,2,3", "a.z=1..4/4"]))).toHaveLength(24)
  })
})
