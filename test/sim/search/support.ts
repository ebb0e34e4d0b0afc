import type { RunRequest } from "../../../sim/search/halving.js"
import { compareScores, scoreCandidate, type CandidateScore, type Measure } from "../../../sim/search/score.js"
import { settingsOf, type Candidate, type Knob, type SearchSpace, type Settings } from "../../../sim/search/space.js"

/** A knob over `values` whose current value is the one at index `current`. */
export const knob = (path: string, values: ReadonlyArray<number | string>, current = 0): Knob => ({ path, values, current })

/**
 * A three-knob space (a, b: 0..7, c: 0..5) with one subspace, in which a
 * configuration is invalid when a exceeds b + 4. Its current settings are a = b = c = 0.
 */
export const fakeSpace = (): SearchSpace => ({
  subspaces: [
    {
      name: "fake",
      fixed: [["pool.policy", "fake"]],
      knobs: [knob("a", [0, 1, 2, 3, 4, 5, 6, 7]), knob("b", [0, 1, 2, 3, 4, 5, 6, 7]), knob("c", [0, 1, 2, 3, 4, 5])]
    }
  ],
  isValid: (settings) => (settings["a"] as number) <= (settings["b"] as number) + 4
})

/** What the fake simulator returns: a cost and a wait, both shifted a little by the seed. */
export interface FakeRun {
  readonly cost: number
  readonly wait: number
}

/**
 * Returns the cost and wait of a deterministic stand-in for a simulation. Wait falls with a and c, so
 * `wait <= 40` needs a high enough, and cost grows with a and c and with the
 * distance of b from 3. The seed shifts wait by -2 to +2 and cost by a tenth
 * of that, alike for every configuration. The cheapest configuration meeting
 * the SLO on seeds 1 to 3 is a = 5, b = 3, c = 1, and one-knob steps lead to it.
 */
export const fakeRun = (settings: Settings, seed: number): FakeRun => {
  const a = settings["a"] as number
  const b = settings["b"] as number
  const c = settings["c"] as number
  const shift = ((seed * 7) % 5) - 2
  return { cost: 10 + 2 * a + 1.5 * Math.abs(b - 3) + 0.7 * c + 0.1 * shift, wait: 100 - 12 * a - 2 * c + shift }
}

/**
 * Returns the cost and wait of a harder stand-in, in which every knob lowers
 * wait and raises cost at a different rate. So the cheapest configurations
 * meeting `wait <= 40` lie on a diagonal, and a step towards the optimum
 * often needs two knobs to move at once.
 */
export const ridgeRun = (settings: Settings, seed: number): FakeRun => {
  const a = settings["a"] as number
  const b = settings["b"] as number
  const c = settings["c"] as number
  const shift = ((seed * 7) % 5) - 2
  return { cost: 10 + 2.1 * a + 3.3 * b + 1.05 * c + 0.1 * shift, wait: 100 - 8 * a - 10 * b - 3 * c + shift }
}

/** SLO `wait <= 40`, normalised as the CLI does: excess over the bound divided by the bound. */
export const fakeMeasure = (run: FakeRun): Measure => ({ cost: run.cost, sloExcess: Math.max(0, run.wait - 40) / 40 })

/** Creates an evaluator over `run` (default `fakeRun`) that records every request it receives. */
export const recordingEvaluator = (run: (settings: Settings, seed: number) => FakeRun = fakeRun) => {
  const requests: Array<RunRequest> = []
  const batches: Array<number> = []
  return {
    requests,
    batches,
    evaluate: async (batch: ReadonlyArray<RunRequest>): Promise<ReadonlyArray<FakeRun>> => {
      requests.push(...batch)
      batches.push(batch.length)
      return batch.map((request) => run(request.settings, request.seed))
    }
  }
}

/** Scores every valid candidate of a one-subspace space on every seed and returns them best first: the full grid. */
export const gridRanking = (
  space: SearchSpace,
  seeds: ReadonlyArray<number>,
  measureOf: (settings: Settings, seed: number) => Measure
): Array<CandidateScore> => {
  const knobs = space.subspaces[0]!.knobs
  const scores: Array<CandidateScore> = []
  const visit = (indices: Array<number>): void => {
    if (indices.length === knobs.length) {
      const candidate: Candidate = { subspace: 0, indices }
      const settings = settingsOf(space, candidate)
      if (!space.isValid(settings)) return
      scores.push(scoreCandidate(candidate, settings, seeds.map((seed) => measureOf(settings, seed))))
      return
    }
    for (const index of knobs[indices.length]!.values.keys()) visit([...indices, index])
  }
  visit([])
  return scores.sort(compareScores)
}
