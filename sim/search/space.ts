/**
 * Search spaces of pool configurations: knobs with candidate values, grouped
 * in subspaces (one per scaling policy), and the candidates they contain.
 * Pure and deterministic.
 */
import type { RandomStream } from "../random.js"

/** A value a knob can take: a number (counts, ratios, milliseconds) or a string (an enum option). */
export type KnobValue = number | string

/** One setting the search varies, with its candidate values in order, so that a neighbour is one step away. */
export interface Knob {
  /** Dotted scenario path, as `--set` takes it, such as `pool.maxPoolSize`. */
  readonly path: string
  readonly values: ReadonlyArray<KnobValue>
  /** Index in `values` of the scenario's own value. */
  readonly current: number
}

/** The knobs of one scaling policy, with the settings every configuration of it shares (`pool.policy`). */
export interface Subspace {
  /** Label in output, usually the policy name. */
  readonly name: string
  /** Path-value pairs set in every configuration of the subspace, before the knobs. */
  readonly fixed: ReadonlyArray<readonly [string, KnobValue]>
  readonly knobs: ReadonlyArray<Knob>
}

/** Settings of one configuration: dotted path to value, fixed values first, then knobs in order. */
export type Settings = Readonly<Record<string, KnobValue>>

/** The configurations a search may pick from. */
export interface SearchSpace {
  readonly subspaces: ReadonlyArray<Subspace>
  /** Whether a configuration may run. An invalid one (minimum pool size above the maximum) is never sampled or run. */
  readonly isValid: (settings: Settings) => boolean
}

/** One configuration: a subspace and, for each of its knobs, the index of the chosen value. */
export interface Candidate {
  readonly subspace: number
  readonly indices: ReadonlyArray<number>
}

/** Number of configurations of a subspace up to which `countGrid` and `sampleCandidates` enumerate every one. */
export const ENUMERATION_LIMIT = 50_000

/** A string that identifies a candidate, for maps and sets. */
export const candidateKey = (candidate: Candidate): string => `${candidate.subspace}:${candidate.indices.join(",")}`

/** Returns the settings of a candidate: the subspace's fixed values, then each knob's chosen value. */
export const settingsOf = (space: SearchSpace, candidate: Candidate): Settings => {
  const subspace = space.subspaces[candidate.subspace]!
  const settings: Record<string, KnobValue> = {}
  for (const [path, value] of subspace.fixed) settings[path] = value
  for (const [position, knob] of subspace.knobs.entries()) settings[knob.path] = knob.values[candidate.indices[position]!]!
  return settings
}

const isValidCandidate = (space: SearchSpace, candidate: Candidate): boolean => space.isValid(settingsOf(space, candidate))

/** Returns the candidate of a subspace whose every knob has the scenario's own value. */
export const currentCandidate = (space: SearchSpace, subspace: number): Candidate => ({
  subspace,
  indices: space.subspaces[subspace]!.knobs.map((knob) => knob.current)
})

/**
 * Returns the valid candidates one step away from `candidate`: one knob moved
 * to the previous or the next value of its list, in knob order, previous first.
 */
export const neighboursOf = (space: SearchSpace, candidate: Candidate): Array<Candidate> => {
  const knobs = space.subspaces[candidate.subspace]!.knobs
  const neighbours: Array<Candidate> = []
  for (const [position, knob] of knobs.entries()) {
    for (const step of [-1, 1]) {
      const index = candidate.indices[position]! + step
      if (index < 0 || index >= knob.values.length) continue
      const indices = [...candidate.indices]
      indices[position] = index
      const neighbour = { subspace: candidate.subspace, indices }
      if (isValidCandidate(space, neighbour)) neighbours.push(neighbour)
    }
  }
  return neighbours
}

/** Number of configurations of a subspace: the product of its knobs' list lengths. */
const combinationsOf = (subspace: Subspace): number => subspace.knobs.reduce((product, knob) => product * knob.values.length, 1)

/** Calls `visit` with every candidate of a subspace, the last knob varying fastest. */
const forEachCandidate = (space: SearchSpace, subspace: number, visit: (candidate: Candidate) => void): void => {
  const knobs = space.subspaces[subspace]!.knobs
  const indices = knobs.map(() => 0)
  for (;;) {
    visit({ subspace, indices: [...indices] })
    let position = knobs.length - 1
    while (position >= 0 && indices[position] === knobs[position]!.values.length - 1) {
      indices[position] = 0
      position -= 1
    }
    if (position < 0) return
    indices[position]! += 1
  }
}

const validBySpace = new WeakMap<SearchSpace, Map<number, ReadonlyArray<Candidate>>>()

/**
 * Returns every valid candidate of a subspace of at most `ENUMERATION_LIMIT`
 * combinations, in enumeration order. The list is computed once per space,
 * because `isValid` may decode the whole pool settings for each candidate.
 */
const validCandidatesOf = (space: SearchSpace, subspace: number): ReadonlyArray<Candidate> => {
  const bySubspace = validBySpace.get(space) ?? new Map<number, ReadonlyArray<Candidate>>()
  validBySpace.set(space, bySubspace)
  const known = bySubspace.get(subspace)
  if (known !== undefined) return known
  const valid: Array<Candidate> = []
  forEachCandidate(space, subspace, (candidate) => {
    if (isValidCandidate(space, candidate)) valid.push(candidate)
  })
  bySubspace.set(subspace, valid)
  return valid
}

/** Size of the full grid of a search space. */
export interface GridSize {
  /** Every combination of knob values, invalid ones included, summed over subspaces. */
  readonly combinations: number
  /** Valid combinations, or `undefined` when a subspace has more than `ENUMERATION_LIMIT` combinations to count. */
  readonly valid: number | undefined
}

/** Counts the configurations of the full grid, enumerating each subspace of at most `ENUMERATION_LIMIT` combinations. */
export const countGrid = (space: SearchSpace): GridSize => {
  let combinations = 0
  let valid: number | undefined = 0
  for (const [index, subspace] of space.subspaces.entries()) {
    const size = combinationsOf(subspace)
    combinations += size
    if (valid === undefined || size > ENUMERATION_LIMIT) {
      valid = undefined
      continue
    }
    valid += validCandidatesOf(space, index).length
  }
  return { combinations, valid }
}

/** Draws candidates of one subspace without repetition, or `undefined` once none is left (or none was found). */
type Drawer = () => Candidate | undefined

/** Tries per draw of a large subspace before it counts as exhausted. */
const DRAW_ATTEMPTS = 1_000

const makeDrawer = (space: SearchSpace, subspace: number, random: RandomStream, usedKeys: Set<string>): Drawer => {
  const knobs = space.subspaces[subspace]!.knobs
  const pick = (length: number): number => Math.floor(random.next() * length)

  if (combinationsOf(space.subspaces[subspace]!) <= ENUMERATION_LIMIT) {
    const pool = [...validCandidatesOf(space, subspace)]
    // Fisher-Yates shuffle, then draws from the end.
    for (let last = pool.length - 1; last > 0; last--) {
      const other = pick(last + 1)
      ;[pool[last], pool[other]] = [pool[other]!, pool[last]!]
    }
    return () => {
      for (let candidate = pool.pop(); candidate !== undefined; candidate = pool.pop()) {
        if (!usedKeys.has(candidateKey(candidate))) return candidate
      }
      return undefined
    }
  }

  // Rejection sampling, for a subspace too large to enumerate.
  return () => {
    for (let attempt = 0; attempt < DRAW_ATTEMPTS; attempt++) {
      const candidate = { subspace, indices: knobs.map((knob) => pick(knob.values.length)) }
      if (!usedKeys.has(candidateKey(candidate)) && isValidCandidate(space, candidate)) return candidate
    }
    return undefined
  }
}

/**
 * Draws up to `count` distinct valid candidates whose keys are not in
 * `exclude`. Each subspace's current candidate comes first (when valid and
 * not excluded), then random draws that take the subspaces in turn. Returns
 * fewer when the space has fewer such candidates. The same arguments and
 * stream state give the same list.
 */
export const sampleCandidates = (space: SearchSpace, count: number, random: RandomStream, exclude: ReadonlySet<string> = new Set()): Array<Candidate> => {
  const usedKeys = new Set<string>(exclude)
  const sample: Array<Candidate> = []
  const add = (candidate: Candidate): void => {
    usedKeys.add(candidateKey(candidate))
    sample.push(candidate)
  }

  for (const index of space.subspaces.keys()) {
    const current = currentCandidate(space, index)
    if (sample.length < count && !usedKeys.has(candidateKey(current)) && isValidCandidate(space, current)) add(current)
  }

  const drawers = space.subspaces.map((_, index) => makeDrawer(space, index, random, usedKeys))
  const exhausted = new Set<number>()
  for (let turn = 0; sample.length < count && exhausted.size < drawers.length; turn++) {
    const index = turn % drawers.length
    if (exhausted.has(index)) continue
    const candidate = drawers[index]!()
    if (candidate === undefined) exhausted.add(index)
    else add(candidate)
  }
  return sample
}
