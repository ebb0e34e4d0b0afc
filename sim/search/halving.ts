/**
 * Successive halving over pool configurations, with seeds as the resource
 * (Jamieson and Talwalkar, "Non-stochastic Best Arm Identification and
 * Hyperparameter Optimization", AISTATS 2016; the inner loop of Hyperband,
 * Li et al., JMLR 2018), followed by a local refinement around the best.
 * Pure: it runs nothing itself but requests runs from `evaluate` in batches.
 */
import { makeStream } from "../random.js"
import { compareScores, isBetter, scoreCandidate, type CandidateScore, type Measure } from "./score.js"
import { candidateKey, countGrid, neighboursOf, sampleCandidates, settingsOf, type Candidate, type GridSize, type SearchSpace, type Settings } from "./space.js"

/** One simulation that the search requests: a configuration on one seed. */
export interface RunRequest {
  readonly candidate: Candidate
  readonly settings: Settings
  readonly seed: number
}

/** Options of `searchConfigurations`. `R` is the result of one run, such as a summary. */
export interface SearchOptions<R> {
  readonly space: SearchSpace
  /** Seeds every finalist runs on, in order. The first rung uses the first seed. */
  readonly seeds: ReadonlyArray<number>
  /** Maximum number of runs, at least `seeds.length`. */
  readonly budget: number
  /** Seed of the candidate sampling, independent of the simulation seeds. */
  readonly samplingSeed: number
  /** Halving rate: each rung keeps the best 1/eta of its candidates. Default 3. */
  readonly eta?: number
  /** Runs a batch and resolves with one result per request, in the same order. */
  readonly evaluate: (batch: ReadonlyArray<RunRequest>) => Promise<ReadonlyArray<R>>
  /** Reads the cost and SLO excess of a run's result. */
  readonly measure: (result: R) => Measure
}

/** One run the search made, with the phase that requested it. */
export interface Evaluation<R> extends RunRequest {
  /** `rung 1`, `rung 2`, ..., `refinement 1`, ..., then `round 2, rung 1` and so on. */
  readonly phase: string
  readonly result: R
  readonly measure: Measure
}

/** One rung of successive halving: how many candidates ran on how many seeds. */
export interface Rung {
  readonly seeds: number
  readonly candidates: number
}

/** Run counts of a local refinement. */
export interface Refinement {
  /** Neighbours run on the first seed. */
  readonly screened: number
  /** Neighbours among them that then ran on every seed. */
  readonly promoted: number
}

/** One round of the search: successive halving over new candidates, then local refinement. */
export interface Round {
  /** The first rung's candidates are the round's sample. */
  readonly rungs: ReadonlyArray<Rung>
  readonly refinement: Refinement
}

/** Outcome of a search. */
export interface SearchResult<R> {
  /** Every run, in the order the search requested them. */
  readonly evaluations: ReadonlyArray<Evaluation<R>>
  /** Candidates that ran on every seed, best first (see `compareScores`). Never empty. */
  readonly ranking: ReadonlyArray<CandidateScore>
  /** `ranking[0]`: the cheapest candidate meeting the SLOs on every seed, or the closest to meeting them. */
  readonly best: CandidateScore
  readonly rounds: ReadonlyArray<Round>
  readonly grid: GridSize
}

const DEFAULT_ETA = 3

/**
 * Share of the budget that successive halving may spend. The refinement gets
 * the rest. On the two synthetic landscapes of test/sim/search/support.ts,
 * half found the optimum more often at a budget of 60 than a third or two
 * thirds did (docs/tuning.md gives the numbers).
 */
const HALVING_SHARE = 1 / 2

/** Seeds per rung: 1, eta, eta², ... below the seed count, then every seed. */
export const rungSeedCounts = (seedCount: number, eta: number = DEFAULT_ETA): Array<number> => {
  const counts: Array<number> = []
  for (let seeds = 1; seeds < seedCount; seeds *= eta) counts.push(seeds)
  counts.push(seedCount)
  return counts
}

/** Candidates each rung runs, starting with `sampled`: each keeps the best floor(1/eta) of the last, at least 1. */
const rungSizes = (sampled: number, rungCount: number, eta: number): Array<number> => {
  const sizes = [sampled]
  while (sizes.length < rungCount) sizes.push(Math.max(1, Math.floor(sizes.at(-1)! / eta)))
  return sizes
}

/** Returns the runs that successive halving costs with `sampled` candidates, where each rung reuses the runs of earlier rungs. */
export const halvingCost = (sampled: number, seedCount: number, eta: number = DEFAULT_ETA): number => {
  const seeds = rungSeedCounts(seedCount, eta)
  const sizes = rungSizes(sampled, seeds.length, eta)
  return sizes.reduce((total, size, rung) => total + size * (seeds[rung]! - (seeds[rung - 1] ?? 0)), 0)
}

/**
 * Returns how many candidates to sample: the most whose successive halving
 * costs at most half the budget (or the whole budget when that is
 * below the seed count), and at most `available`. At least 1.
 */
export const sampleSize = (budget: number, seedCount: number, available: number, eta: number = DEFAULT_ETA): number => {
  const target = Math.max(seedCount, Math.floor(budget * HALVING_SHARE))
  let sampled = 1
  while (sampled < available && halvingCost(sampled + 1, seedCount, eta) <= target) sampled += 1
  return sampled
}

/**
 * Searches `space` for the cheapest configuration that meets the SLOs on
 * every seed, in rounds. A round samples new candidates (the scenario's own
 * settings first), runs them all on the first seed, keeps the best 1/eta on
 * more seeds (reusing the runs done), and repeats until the survivors ran on
 * every seed. Then it refines locally. It runs the neighbours of the best
 * finalist (one knob one step away) on the first seed, and those that beat
 * it there on every seed. Then it does the same around the next best
 * finalist not yet explored. A new round starts when the refinement has explored every
 * finalist and budget remains. Never runs more than `budget` runs, a run
 * twice, or an invalid candidate. Deterministic for the same options and
 * results. Throws a RangeError when the budget is below the seed count,
 * there is no seed, or the space has no valid candidate.
 */
export const searchConfigurations = async <R>(options: SearchOptions<R>): Promise<SearchResult<R>> => {
  const { space, seeds, budget } = options
  const eta = options.eta ?? DEFAULT_ETA
  if (seeds.length === 0) throw new RangeError("A search needs at least one seed.")
  if (!Number.isInteger(budget) || budget < seeds.length) {
    throw new RangeError(`Invalid budget ${budget}: expected an integer of at least ${seeds.length}, the number of seeds, so one configuration can run on every seed.`)
  }
  if (!(eta >= 2)) throw new RangeError(`Invalid eta ${eta}: expected 2 or more.`)

  const grid = countGrid(space)
  const runs = new RunLedger(options)
  const random = makeStream(options.samplingSeed, "search")
  const explored = new Set<string>()
  const rounds: Array<Round> = []
  for (;;) {
    const remaining = budget - runs.evaluations.length
    if (remaining < seeds.length) break
    const available = (grid.valid ?? Number.MAX_SAFE_INTEGER) - runs.candidateKeys().size
    const candidates = sampleCandidates(space, sampleSize(remaining, seeds.length, available, eta), random, runs.candidateKeys())
    if (candidates.length === 0) break

    const prefix = rounds.length === 0 ? "" : `round ${rounds.length + 1}, `
    const rungs = await halve(runs, candidates, eta, prefix)
    const refinement = await refine(space, runs, budget, explored, prefix)
    rounds.push({ rungs, refinement })
  }
  if (rounds.length === 0) throw new RangeError("The search space has no valid configuration: every combination of knob values is invalid.")

  const ranking = runs.finalists()
  return { evaluations: runs.evaluations, ranking, best: ranking[0]!, rounds, grid }
}

/** Runs successive halving over `candidates` and returns its rungs. */
const halve = async <R>(runs: RunLedger<R>, candidates: ReadonlyArray<Candidate>, eta: number, prefix: string): Promise<Array<Rung>> => {
  const rungs: Array<Rung> = []
  let survivors = candidates
  const seedCounts = rungSeedCounts(runs.seedCount, eta)
  for (const [rung, seedCount] of seedCounts.entries()) {
    rungs.push({ seeds: seedCount, candidates: survivors.length })
    await runs.runOnSeeds(survivors, seedCount, `${prefix}rung ${rung + 1}`)
    if (rung === seedCounts.length - 1) break
    const ranked = survivors.map((candidate) => runs.score(candidate, seedCount)).sort(compareScores)
    survivors = ranked.slice(0, Math.max(1, Math.floor(ranked.length / eta))).map((score) => score.candidate)
  }
  return rungs
}

/**
 * Refines locally, in steps while the budget lasts. Each step takes the
 * best finalist not yet in `explored`, runs its neighbours that never ran on
 * the first seed, and runs those strictly better on that seed (see
 * `isBetter`) on every other seed. A neighbour that beats it on every seed becomes the new best
 * finalist, which the next step explores. With a single seed, every
 * neighbour run is a finalist at once.
 */
const refine = async <R>(space: SearchSpace, runs: RunLedger<R>, budget: number, explored: Set<string>, prefix: string): Promise<Refinement> => {
  let screenedCount = 0
  let promotedCount = 0
  const refinement = (): Refinement => ({ screened: screenedCount, promoted: promotedCount })
  for (let step = 1; ; step++) {
    const finalist = runs.finalists().find((score) => !explored.has(candidateKey(score.candidate)))
    if (finalist === undefined) return refinement()

    const fresh = neighboursOf(space, finalist.candidate).filter((neighbour) => runs.missingSeeds(neighbour) === runs.seedCount)
    const screened = fresh.slice(0, budget - runs.evaluations.length)
    if (screened.length === 0 && fresh.length > 0) return refinement()
    explored.add(candidateKey(finalist.candidate))
    await runs.runOnSeeds(screened, 1, `${prefix}refinement ${step}`)
    screenedCount += screened.length

    const reference = runs.score(finalist.candidate, 1)
    const promising = neighboursOf(space, finalist.candidate)
      .filter((neighbour) => runs.missingSeeds(neighbour) > 0 && runs.missingSeeds(neighbour) < runs.seedCount)
      .map((neighbour) => runs.score(neighbour, 1))
      .filter((score) => isBetter(score, reference))
      .sort(compareScores)
    const promoted: Array<Candidate> = []
    let remaining = budget - runs.evaluations.length
    for (const score of promising) {
      const missing = runs.missingSeeds(score.candidate)
      if (missing > remaining) break
      promoted.push(score.candidate)
      remaining -= missing
    }
    await runs.runOnSeeds(promoted, runs.seedCount, `${prefix}refinement ${step}`)
    promotedCount += promoted.length
  }
}

/** The runs done so far, by candidate and seed, so that no run is repeated. */
class RunLedger<R> {
  readonly evaluations: Array<Evaluation<R>> = []
  private readonly byCandidate = new Map<string, { readonly candidate: Candidate; readonly measures: Array<Measure> }>()

  constructor(private readonly options: SearchOptions<R>) {}

  get seedCount(): number {
    return this.options.seeds.length
  }

  /** Keys of the candidates that ran on at least one seed. */
  candidateKeys(): ReadonlySet<string> {
    return new Set(this.byCandidate.keys())
  }

  /** Seeds the candidate has not run on yet. */
  missingSeeds(candidate: Candidate): number {
    return this.seedCount - (this.byCandidate.get(candidateKey(candidate))?.measures.length ?? 0)
  }

  /** Runs each candidate on the first `seedCount` seeds, skipping seeds it already ran on, in one batch. */
  async runOnSeeds(candidates: ReadonlyArray<Candidate>, seedCount: number, phase: string): Promise<void> {
    const requests: Array<RunRequest> = []
    for (const candidate of candidates) {
      const settings = settingsOf(this.options.space, candidate)
      const done = this.byCandidate.get(candidateKey(candidate))?.measures.length ?? 0
      for (const seed of this.options.seeds.slice(done, seedCount)) requests.push({ candidate, settings, seed })
    }
    if (requests.length === 0) return
    const results = await this.options.evaluate(requests)
    if (results.length !== requests.length) {
      throw new RangeError(`evaluate returned ${results.length} results for a batch of ${requests.length} runs, expected one result per run.`)
    }
    for (const [position, request] of requests.entries()) {
      const result = results[position]!
      const measure = this.options.measure(result)
      this.evaluations.push({ ...request, phase, result, measure })
      const key = candidateKey(request.candidate)
      const entry = this.byCandidate.get(key) ?? { candidate: request.candidate, measures: [] }
      entry.measures.push(measure)
      this.byCandidate.set(key, entry)
    }
  }

  /** Scores a candidate over its first `seedCount` runs. */
  score(candidate: Candidate, seedCount: number): CandidateScore {
    const measures = this.byCandidate.get(candidateKey(candidate))!.measures.slice(0, seedCount)
    return scoreCandidate(candidate, settingsOf(this.options.space, candidate), measures)
  }

  /** Candidates that ran on every seed, best first. */
  finalists(): Array<CandidateScore> {
    return [...this.byCandidate.values()]
      .filter((entry) => entry.measures.length === this.seedCount)
      .map((entry) => this.score(entry.candidate, this.seedCount))
      .sort(compareScores)
  }
}
