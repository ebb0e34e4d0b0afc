import seedrandom from "seedrandom"

/**
 * Subsystems that draw random numbers. Each gets its own stream, so a change
 * in one (a pool setting that provisions more instances, a new fault) leaves
 * the draws of the others, above all the workload, unchanged. `provisioning`
 * gives the k-th instance created its boot draws and `deletion` gives the
 * k-th terminate call its deletion delay, so instances of different pool
 * configurations with the same seed boot alike in creation order.
 */
export type StreamName = "workload" | "provisioning" | "deletion" | "runners" | "faults" | "controller"

/** A uniform source of doubles in [0, 1). */
export interface RandomStream {
  readonly next: () => number
}

/**
 * Creates the named stream of a scenario seed. The same seed and name always
 * give the same sequence, on every machine.
 */
export const makeStream = (seed: number, name: StreamName | string): RandomStream => {
  const prng = seedrandom.alea(`runner-pool/${seed}/${name}`)
  return { next: () => prng() }
}

/** The streams of one simulation, created from its scenario seed. */
export interface RandomStreams {
  readonly seed: number
  readonly stream: (name: StreamName) => RandomStream
}

export const makeStreams = (seed: number): RandomStreams => {
  const streams = new Map<string, RandomStream>()
  return {
    seed,
    stream: (name) => {
      let stream = streams.get(name)
      if (stream === undefined) {
        stream = makeStream(seed, name)
        streams.set(name, stream)
      }
      return stream
    }
  }
}
