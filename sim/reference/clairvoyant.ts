import { mean, sampler } from "../distribution.js"
import { makeStream } from "../random.js"
import type { CloudModel } from "../world/models.js"
import { provisioningSampler } from "../world/provisioning.js"
import type { Workload } from "../workload/workload.js"
import { clippedMs, MS_PER_HOUR, validateHorizon } from "./floor.js"
import { BusyRunners, FreeRunners } from "./runnerQueues.js"

/** Cost and size of the clairvoyant reference schedule of one workload. */
export interface ClairvoyantSchedule {
  /** Runner-hours inside `[0, horizonMs)`, measured as `reports/metrics.ts` measures a simulated pool. */
  readonly runnerHours: number
  /** Maximum number of runners that exist at once for a positive time inside `[0, horizonMs)`. */
  readonly peakRunners: number
  /** Runners the schedule creates. Provisioning draws that fail to boot are skipped and not counted. */
  readonly runnersCreated: number
}

/**
 * Computes a clairvoyant reference schedule: a runner pool planned with
 * every future arrival and every provisioning draw in hand. It has an Idle
 * runner ready at each run's arrival, so no run waits, and keeps few
 * runner-hours.
 *
 * The schedule is greedy and offline. It serves the runs that arrive before
 * `horizonMs` in arrival order. Before serving a run at time `a`:
 * 1. A runner whose run ended at or before `a` is free.
 * 2. A free runner that would stay idle until `a` for longer than it costs
 *    to delete it and create a new one is deleted as soon as it became free.
 *    That cost is the mean deletion delay plus the mean provisioning delay
 *    plus the mean startup script duration of the cloud model. The gaps only
 *    grow with `a`, so such a runner would be deleted for every later run too.
 * 3. The run takes the free runner that became free last, which is Idle for
 *    the shortest gap. Without a free runner, it takes a new runner that
 *    becomes Idle exactly at `a`. The new runner's provisioning delay and
 *    startup script duration are the next draws of the `provisioning` stream
 *    of `seed`, drawn with the samplers and in the order `World.provision`
 *    uses. So the schedule's k-th instance boots like the k-th instance of a
 *    simulated pool with the same seed.
 * 4. The runner is busy until `a` plus the run's duration.
 * Every runner is deleted when it becomes free for the last time. Deletion
 * delays are the draws of the `deletion` stream of `seed`, taken in the
 * order the deletions start, as the world takes them in terminate order.
 *
 * Every runner costs from its creation until its deletion completes, and
 * only the part inside `[0, horizonMs)` counts, as for a simulated pool.
 *
 * This is a reference, not a policy. It ignores the pool's minimum and
 * maximum size and the taint grace period. Three of its assumptions make it
 * slightly optimistic compared with a simulated pool:
 * - A provisioning draw that fails to boot is skipped at no cost, because
 *   its outcome is part of the plan. A simulated pool pays for such an
 *   instance until it is deleted.
 * - An Idle runner takes a run at once. The world has no registration delay
 *   between boot and Idle, but with a positive `pollIntervalMs` a reused
 *   runner there waits for its next poll, up to one interval.
 * - A runner created before time 0 for an early run counts only from 0,
 *   while a simulated pool cannot create a runner before 0.
 *
 * The greedy schedule is a feasible zero-wait schedule under these
 * assumptions, so its cost is an upper bound on the best zero-wait cost,
 * not a proven optimum: the deletion rule compares a gap with mean delays,
 * not with the draws a replacement would get, and reusing the runner free
 * shortest is a heuristic. `floorRunnerHours` is the lower bound.
 *
 * Runs in O(n log m) time for n runs and m runners created.
 * Throws a RangeError when `horizonMs` is not a finite number above 0, and
 * when `bootFailureRate` is 1 or more while a run arrives before the
 * horizon, because then no runner ever boots to serve it.
 */
export const clairvoyantSchedule = (
  workload: Workload,
  cloud: CloudModel,
  seed: number,
  horizonMs: number
): ClairvoyantSchedule => {
  validateHorizon(horizonMs)
  const { arrivals, durations } = workload
  const served = countArrivingBefore(arrivals, horizonMs)
  if (served > 0 && !(cloud.bootFailureRate < 1)) {
    throw new RangeError(
      `Invalid bootFailureRate ${cloud.bootFailureRate}: no instance would boot, so no schedule serves the ` +
        `${served} runs that arrive before the horizon. Expected a rate below 1.`
    )
  }

  const drawProvisioning = provisioningSampler(cloud)
  const provisioningStream = makeStream(seed, "provisioning")
  const keepIdleLimitMs = mean(cloud.deletionDelay) + mean(cloud.provisioningDelay) + mean(cloud.startupScriptDuration)

  /** Creation time of each runner, in milliseconds. It is negative when the runner had to exist before time 0. */
  const createdAt: Array<number> = []
  /** Time each runner becomes free from its latest run. After the loop, it is the time its deletion starts. */
  const freeAt: Array<number> = []
  const busy = new BusyRunners(freeAt)
  const free = new FreeRunners()

  for (let run = 0; run < served; run++) {
    const arrival = arrivals[run]!
    while (busy.nextFreeAt <= arrival) free.pushBack(busy.pop())
    // Runners left idle too long were deleted when they became free, so they just leave the deque.
    while (free.size > 0 && arrival - freeAt[free.front]! > keepIdleLimitMs) free.popFront()

    const end = arrival + durations[run]!
    if (free.size > 0) {
      const runner = free.popBack()
      freeAt[runner] = end
      busy.push(runner)
      continue
    }
    let draw = drawProvisioning(provisioningStream)
    while (draw.bootFails) draw = drawProvisioning(provisioningStream)
    createdAt.push(arrival - draw.provisioningDelayMs - draw.startupScriptMs)
    freeAt.push(end)
    busy.push(createdAt.length - 1)
  }

  const deletedAt = drawDeletions(freeAt, cloud, seed)
  let totalMs = 0
  for (let runner = 0; runner < createdAt.length; runner++) {
    totalMs += clippedMs(createdAt[runner]!, deletedAt[runner]!, horizonMs)
  }
  return {
    runnerHours: totalMs / MS_PER_HOUR,
    peakRunners: peakOverlap(createdAt, deletedAt, horizonMs),
    runnersCreated: createdAt.length
  }
}

/** Number of leading runs, in arrival order, that arrive before the horizon: the simulation never queues later ones. */
const countArrivingBefore = (arrivals: Float64Array, horizonMs: number): number => {
  let count = 0
  while (count < arrivals.length && arrivals[count]! < horizonMs) count++
  return count
}

/**
 * Returns the time each runner's deletion completes: deletions start at
 * `deletionStartsAt` and take the draws of the `deletion` stream in start
 * order, ties by runner index.
 */
const drawDeletions = (deletionStartsAt: ReadonlyArray<number>, cloud: CloudModel, seed: number): Float64Array => {
  const order = Array.from(deletionStartsAt, (_, runner) => runner)
  order.sort((a, b) => deletionStartsAt[a]! - deletionStartsAt[b]! || a - b)
  const deletionDelay = sampler(cloud.deletionDelay)
  const stream = makeStream(seed, "deletion")
  const deletedAt = new Float64Array(deletionStartsAt.length)
  for (const runner of order) deletedAt[runner] = deletionStartsAt[runner]! + deletionDelay(stream)
  return deletedAt
}

/**
 * Returns the maximum number of the intervals `[starts[i], ends[i])` that
 * overlap inside `[0, horizonMs)`. An interval ending at `t` and one starting
 * at `t` do not overlap, and intervals with no length inside the window are
 * left out, so the maximum holds for a positive time.
 */
const peakOverlap = (starts: ReadonlyArray<number>, ends: Float64Array, horizonMs: number): number => {
  const clippedStarts: Array<number> = []
  const clippedEnds: Array<number> = []
  for (let i = 0; i < starts.length; i++) {
    const start = Math.max(starts[i]!, 0)
    const end = Math.min(ends[i]!, horizonMs)
    if (end <= start) continue
    clippedStarts.push(start)
    clippedEnds.push(end)
  }
  const sortedStarts = Float64Array.from(clippedStarts).sort()
  const sortedEnds = Float64Array.from(clippedEnds).sort()

  let peak = 0
  let current = 0
  let nextEnd = 0
  for (const start of sortedStarts) {
    while (nextEnd < sortedEnds.length && sortedEnds[nextEnd]! <= start) {
      current--
      nextEnd++
    }
    current++
    peak = Math.max(peak, current)
  }
  return peak
}
