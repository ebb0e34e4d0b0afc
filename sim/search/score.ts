/** Scores of candidate configurations and the order the search ranks them in. */
import type { Candidate, Settings } from "./space.js"

/** Cost and SLO excess of one run, as the search reads them. */
export interface Measure {
  /** Cost to minimise, such as `cost.runnerHours`. Infinity for a run that failed. */
  readonly cost: number
  /** How far the run misses its SLOs, normalised: 0 when every SLO holds, larger the further it misses. */
  readonly sloExcess: number
}

/** A candidate's standing over the seeds it ran on. */
export interface CandidateScore {
  readonly candidate: Candidate
  readonly settings: Settings
  readonly seedsRun: number
  /** Seeds on which every SLO held. */
  readonly seedsMeetingSlo: number
  /** Whether every SLO held on every seed it ran on. */
  readonly meetsSlo: boolean
  /** Mean cost over the seeds run. */
  readonly meanCost: number
  /** Mean SLO excess over the seeds run, 0 when it meets the SLOs. */
  readonly meanExcess: number
}

const mean = (values: ReadonlyArray<number>): number => values.reduce((sum, value) => sum + value, 0) / values.length

/** Scores a candidate from the measures of its runs, one per seed. Throws a RangeError when there is none. */
export const scoreCandidate = (candidate: Candidate, settings: Settings, measures: ReadonlyArray<Measure>): CandidateScore => {
  if (measures.length === 0) throw new RangeError("Cannot score a candidate without runs: expected at least one measure.")
  const seedsMeetingSlo = measures.filter((measure) => measure.sloExcess === 0).length
  return {
    candidate,
    settings,
    seedsRun: measures.length,
    seedsMeetingSlo,
    meetsSlo: seedsMeetingSlo === measures.length,
    meanCost: mean(measures.map((measure) => measure.cost)),
    meanExcess: mean(measures.map((measure) => measure.sloExcess))
  }
}

const compareNumbers = (a: number, b: number): number => {
  if (a < b) return -1
  return a > b ? 1 : 0
}

/**
 * Returns whether `a` is strictly better than `b` by its measures alone. That is
 * when `a` meets the SLOs and `b` does not, when both meet them and `a`
 * costs less, or when both miss and `a` misses by less (or as much, at a
 * lower cost). Unlike in `compareScores`, equal measures are never better.
 */
export const isBetter = (a: CandidateScore, b: CandidateScore): boolean => {
  if (a.meetsSlo !== b.meetsSlo) return a.meetsSlo
  if (a.meetsSlo) return a.meanCost < b.meanCost
  return a.meanExcess < b.meanExcess || (a.meanExcess === b.meanExcess && a.meanCost < b.meanCost)
}

/**
 * Orders scores best first. Candidates that meet the SLOs on every seed
 * they ran come first, by mean cost. The others follow by mean SLO excess,
 * then by mean cost. Ties go to the lower subspace and knob indices, so the
 * order is total and deterministic.
 */
export const compareScores = (a: CandidateScore, b: CandidateScore): number => {
  if (a.meetsSlo !== b.meetsSlo) return a.meetsSlo ? -1 : 1
  const primary = a.meetsSlo ? compareNumbers(a.meanCost, b.meanCost) : compareNumbers(a.meanExcess, b.meanExcess)
  if (primary !== 0) return primary
  const cost = compareNumbers(a.meanCost, b.meanCost)
  if (cost !== 0) return cost
  if (a.candidate.subspace !== b.candidate.subspace) return a.candidate.subspace - b.candidate.subspace
  for (const [position, index] of a.candidate.indices.entries()) {
    const other = b.candidate.indices[position]!
    if (index !== other) return index - other
  }
  return 0
}
