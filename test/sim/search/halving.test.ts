import { describe, expect, it } from "vitest"
import { halvingCost, rungSeedCounts, sampleSize, searchConfigurations, type SearchOptions } from "../../../sim/search/halving.js"
import { candidateKey, countGrid, type SearchSpace } from "../../../sim/search/space.js"
import { fakeMeasure, fakeRun, fakeSpace, gridRanking, knob, recordingEvaluator, ridgeRun, type FakeRun } from "./support.js"

const SEEDS = [1, 2, 3]

const options = (evaluate: SearchOptions<FakeRun>["evaluate"], overrides: Partial<SearchOptions<FakeRun>> = {}): SearchOptions<FakeRun> => ({
  space: fakeSpace(),
  seeds: SEEDS,
  budget: 60,
  samplingSeed: 7,
  evaluate,
  measure: fakeMeasure,
  ...overrides
})

describe("rung plan", () => {
  it("seed counts grow by eta up to all seeds", () => {
    expect(rungSeedCounts(1)).toEqual([1])
    expect(rungSeedCounts(3)).toEqual([1, 3])
    expect(rungSeedCounts(5)).toEqual([1, 3, 5])
    expect(rungSeedCounts(9)).toEqual([1, 3, 9])
    expect(rungSeedCounts(10)).toEqual([1, 3, 9, 10])
    expect(rungSeedCounts(4, 2)).toEqual([1, 2, 4])
  })

  it("halving cost reuses earlier runs", () => {
    // 24 on seed 1, then the best 8 on seeds 2 and 3.
    expect(halvingCost(24, 3)).toBe(24 + 8 * 2)
    // 27 on 1 seed, 9 on 2 more, 3 on 4 more.
    expect(halvingCost(27, 7)).toBe(27 + 9 * 2 + 3 * 4)
    expect(halvingCost(1, 3)).toBe(3)
    expect(halvingCost(2, 3)).toBe(2 + 1 * 2)
  })

  it("sample size fits half the budget", () => {
    expect(sampleSize(60, 3, 1_000)).toBe(18)
    expect(halvingCost(sampleSize(60, 3, 1_000), 3)).toBeLessThanOrEqual(30)
    expect(halvingCost(sampleSize(60, 3, 1_000) + 1, 3)).toBeGreaterThan(30)
    expect(sampleSize(60, 3, 10)).toBe(10)
    expect(sampleSize(3, 3, 1_000)).toBe(1)
  })
})

describe("searchConfigurations", () => {
  it("finds the grid optimum with fewer runs", async () => {
    const space = fakeSpace()
    const grid = gridRanking(space, SEEDS, (settings, seed) => fakeMeasure(fakeRun(settings, seed)))
    const gridRuns = grid.length * SEEDS.length
    const evaluator = recordingEvaluator()

    const result = await searchConfigurations(options(evaluator.evaluate))

    expect(grid[0]!.meetsSlo).toBe(true)
    expect(result.best.settings).toEqual(grid[0]!.settings)
    expect(result.best.meanCost).toBeCloseTo(grid[0]!.meanCost, 9)
    expect(result.evaluations.length).toBeLessThanOrEqual(60)
    expect(gridRuns).toBeGreaterThan(10 * result.evaluations.length)
    expect(result.grid.valid).toBe(grid.length)
  })

  it("lands near the optimum for any sampling seed", async () => {
    // Over sampling seeds 1 to 100 at a budget of 60, the worst best was 13.5% (fakeRun) and 9.6% (ridgeRun) above the optimum.
    for (const run of [fakeRun, ridgeRun]) {
      const optimum = gridRanking(fakeSpace(), SEEDS, (settings, seed) => fakeMeasure(run(settings, seed)))[0]!
      for (let samplingSeed = 1; samplingSeed <= 20; samplingSeed++) {
        const result = await searchConfigurations(options(recordingEvaluator(run).evaluate, { samplingSeed }))
        expect(result.best.meetsSlo, `${run.name}, sampling seed ${samplingSeed}`).toBe(true)
        expect(result.best.meanCost, `${run.name}, sampling seed ${samplingSeed}`).toBeLessThanOrEqual(optimum.meanCost * 1.15)
      }
    }
  })

  it("same options give the same runs", async () => {
    const first = recordingEvaluator()
    const second = recordingEvaluator()
    const a = await searchConfigurations(options(first.evaluate))
    const b = await searchConfigurations(options(second.evaluate))
    expect(second.requests).toEqual(first.requests)
    expect(b.best).toEqual(a.best)
    expect(b.ranking).toEqual(a.ranking)
  })

  it("another sampling seed samples differently", async () => {
    const first = recordingEvaluator()
    const second = recordingEvaluator()
    await searchConfigurations(options(first.evaluate))
    await searchConfigurations(options(second.evaluate, { samplingSeed: 8 }))
    const keys = (requests: typeof first.requests) => requests.map((request) => candidateKey(request.candidate))
    expect(keys(second.requests)).not.toEqual(keys(first.requests))
  })

  it("respects every budget", async () => {
    for (const budget of [3, 4, 5, 10, 17, 37, 60, 200]) {
      const evaluator = recordingEvaluator()
      const result = await searchConfigurations(options(evaluator.evaluate, { budget }))
      expect(result.evaluations.length, `budget ${budget}`).toBeLessThanOrEqual(budget)
      expect(evaluator.requests.length, `budget ${budget}`).toBe(result.evaluations.length)
      expect(result.best.seedsRun, `budget ${budget}`).toBe(SEEDS.length)
    }
  })

  it("never repeats a run", async () => {
    const evaluator = recordingEvaluator()
    await searchConfigurations(options(evaluator.evaluate, { budget: 200 }))
    const pairs = evaluator.requests.map((request) => `${candidateKey(request.candidate)}@${request.seed}`)
    expect(new Set(pairs).size).toBe(pairs.length)
  })

  it("never runs an invalid candidate", async () => {
    const evaluator = recordingEvaluator()
    const space = fakeSpace()
    await searchConfigurations(options(evaluator.evaluate, { budget: 200 }))
    expect(evaluator.requests.length).toBeGreaterThan(100)
    for (const request of evaluator.requests) expect(space.isValid(request.settings), JSON.stringify(request.settings)).toBe(true)
  })

  it("runs current settings first", async () => {
    const evaluator = recordingEvaluator()
    await searchConfigurations(options(evaluator.evaluate))
    expect(evaluator.requests[0]!.settings).toEqual({ "pool.policy": "fake", a: 0, b: 0, c: 0 })
    expect(evaluator.requests[0]!.seed).toBe(1)
  })

  it("halves on the first seed, then all seeds", async () => {
    const evaluator = recordingEvaluator()
    const result = await searchConfigurations(options(evaluator.evaluate))
    expect(result.rounds[0]!.rungs).toEqual([
      { seeds: 1, candidates: 18 },
      { seeds: 3, candidates: 6 }
    ])
    const firstRung = result.evaluations.filter((evaluation) => evaluation.phase === "rung 1")
    expect(firstRung).toHaveLength(18)
    for (const evaluation of firstRung) expect(evaluation.seed).toBe(1)
    const secondRung = result.evaluations.filter((evaluation) => evaluation.phase === "rung 2")
    expect(secondRung).toHaveLength(12)
    expect(new Set(secondRung.map((evaluation) => evaluation.seed))).toEqual(new Set([2, 3]))
    expect(evaluator.batches.slice(0, 2)).toEqual([18, 12])
  })

  it("keeps the best third of the first rung", async () => {
    const result = await searchConfigurations(options(recordingEvaluator().evaluate))
    const firstRung = result.evaluations.filter((evaluation) => evaluation.phase === "rung 1")
    const promoted = new Set(result.evaluations.filter((evaluation) => evaluation.phase === "rung 2").map((evaluation) => candidateKey(evaluation.candidate)))
    const dropped = firstRung.filter((evaluation) => !promoted.has(candidateKey(evaluation.candidate)))
    const kept = firstRung.filter((evaluation) => promoted.has(candidateKey(evaluation.candidate)))
    expect(kept).toHaveLength(6)
    // Every kept candidate that misses the SLO misses it by no more than any dropped one.
    const worstKeptExcess = Math.max(...kept.map((evaluation) => evaluation.measure.sloExcess))
    const bestDroppedExcess = Math.min(...dropped.map((evaluation) => evaluation.measure.sloExcess))
    expect(worstKeptExcess).toBeLessThanOrEqual(bestDroppedExcess)
  })

  it("refinement screens neighbours on one seed", async () => {
    const result = await searchConfigurations(options(recordingEvaluator().evaluate))
    const refinement = result.evaluations.filter((evaluation) => /^refinement \d+$/.test(evaluation.phase))
    const onFirstSeed = refinement.filter((evaluation) => evaluation.seed === SEEDS[0])
    const onOtherSeeds = refinement.filter((evaluation) => evaluation.seed !== SEEDS[0])
    expect(onFirstSeed.length).toBeGreaterThan(0)
    expect(result.rounds[0]!.refinement.screened).toBe(onFirstSeed.length)
    expect(onOtherSeeds).toHaveLength(result.rounds[0]!.refinement.promoted * (SEEDS.length - 1))
  })

  it("refinement promotes only first-seed winners", async () => {
    const result = await searchConfigurations(options(recordingEvaluator().evaluate, { budget: 120 }))
    for (const evaluation of result.evaluations.filter((candidate) => candidate.phase.startsWith("refinement") && candidate.seed !== SEEDS[0])) {
      const screened = result.evaluations.find(
        (other) => other.seed === SEEDS[0] && candidateKey(other.candidate) === candidateKey(evaluation.candidate)
      )!
      // Promoted neighbours meet the SLO on the first seed here, because the best finalist does.
      expect(screened.measure.sloExcess).toBe(0)
    }
  })

  it("ample budget samples every candidate", async () => {
    const evaluator = recordingEvaluator()
    const result = await searchConfigurations(options(evaluator.evaluate, { budget: 900 }))
    const sampled = new Set(evaluator.requests.map((request) => candidateKey(request.candidate)))
    expect(result.grid.valid).toBe(348)
    expect(sampled.size).toBe(348)
    expect(result.rounds.length).toBeGreaterThan(1)
    // The search stops when every candidate ran, before the budget is spent.
    expect(result.evaluations.length).toBeLessThan(900)
    const optimum = gridRanking(fakeSpace(), SEEDS, (settings, seed) => fakeMeasure(fakeRun(settings, seed)))[0]!
    expect(result.best.settings).toEqual(optimum.settings)
  })

  it("later rounds label their runs", async () => {
    const result = await searchConfigurations(options(recordingEvaluator().evaluate, { budget: 900 }))
    const phases = new Set(result.evaluations.map((evaluation) => evaluation.phase))
    expect(phases).toContain("rung 1")
    expect(phases).toContain("round 2, rung 1")
  })

  it("returns the closest when none meets", async () => {
    const measure = (run: FakeRun) => ({ cost: run.cost, sloExcess: Math.max(0, run.wait + 100) / 40 })
    const result = await searchConfigurations({ ...options(recordingEvaluator().evaluate), measure })
    expect(result.best.meetsSlo).toBe(false)
    for (const score of result.ranking.slice(1)) expect(score.meanExcess).toBeGreaterThanOrEqual(result.best.meanExcess)
  })

  it("budget below the seed count throws", async () => {
    await expect(searchConfigurations(options(recordingEvaluator().evaluate, { budget: 2 }))).rejects.toThrow(
      "Invalid budget 2: expected an integer of at least 3"
    )
  })

  it("space without valid candidate throws", async () => {
    const space: SearchSpace = { ...fakeSpace(), isValid: () => false }
    await expect(searchConfigurations(options(recordingEvaluator().evaluate, { space }))).rejects.toThrow("no valid configuration")
  })

  it("small space runs every candidate", async () => {
    const space: SearchSpace = {
      subspaces: [{ name: "small", fixed: [], knobs: [knob("a", [0, 1, 2]), knob("b", [0, 1])] }],
      isValid: () => true
    }
    const evaluator = recordingEvaluator()
    const result = await searchConfigurations(options(async (batch) => {
      await evaluator.evaluate(batch)
      return batch.map((request) => ({ cost: (request.settings["a"] as number) + (request.settings["b"] as number), wait: 0 }))
    }, { space, budget: 100 }))
    expect(countGrid(space)).toEqual({ combinations: 6, valid: 6 })
    expect(result.rounds[0]!.rungs[0]!.candidates).toBe(6)
    expect(result.best.settings).toEqual({ a: 0, b: 0 })
  })
})
