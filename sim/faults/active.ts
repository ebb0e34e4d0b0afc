import type { ProviderErrorReason } from "../../core/errors.js"
import { sampler, type Sampler } from "../distribution.js"
import type { RandomStream } from "../random.js"
import type { CloudOperation, Fault, FaultKind, FaultOf } from "./schema.js"

/** A fault that lasts, with its window [at, until) in milliseconds since the simulation start. */
interface Window<F> {
  readonly fault: F
  readonly at: number
  readonly until: number
}

const windowsOf = <K extends FaultKind>(
  faults: ReadonlyArray<Fault>,
  kind: K
): ReadonlyArray<Window<FaultOf<K>>> =>
  faults
    .filter((fault): fault is FaultOf<K> => fault.kind === kind)
    .map((fault) => ({ fault, at: fault.at, until: fault.at + ("for" in fault ? fault.for : 0) }))

const isActive = (window: Window<unknown>, now: number): boolean => window.at <= now && now < window.until

/**
 * A span of virtual time, [from, until) in milliseconds, in which the world
 * keeps a history of instance changes, so that a lagging list can be
 * rebuilt. It starts at the earliest `at - lag` of the list-lag windows it
 * covers, and at 0 at the earliest.
 */
export interface ListHistorySpan {
  readonly from: number
  readonly until: number
  /** Largest lag of the windows in the span: changes older than this are never listed again. */
  readonly maxLagMs: number
}

/**
 * The faults that last, as the world and the simulated cloud consult them.
 * A method returns the fault's effect at `now` (virtual milliseconds) and
 * draws from the `faults` stream only while a window of its kind is active,
 * so a simulation without such a window makes no draw.
 */
export class ActiveFaults {
  private readonly cloudErrors: ReadonlyArray<Window<FaultOf<"cloudErrors">>>
  private readonly slowProvisioning: ReadonlyArray<Window<FaultOf<"slowProvisioning">> & { readonly delay: Sampler }>
  private readonly bootFailures: ReadonlyArray<Window<FaultOf<"bootFailures">>>
  private readonly listLag: ReadonlyArray<Window<FaultOf<"listLag">>>
  private readonly hangingRuns: ReadonlyArray<Window<FaultOf<"hangingRuns">>>
  /** Spans in which the world must keep instance history for list lag, in time order and disjoint. */
  readonly listHistorySpans: ReadonlyArray<ListHistorySpan>

  constructor(faults: ReadonlyArray<Fault>, private readonly random: RandomStream) {
    this.cloudErrors = windowsOf(faults, "cloudErrors")
    this.slowProvisioning = windowsOf(faults, "slowProvisioning").map((window) => ({
      ...window,
      delay: sampler(window.fault.delay)
    }))
    this.bootFailures = windowsOf(faults, "bootFailures")
    this.listLag = windowsOf(faults, "listLag")
    this.hangingRuns = windowsOf(faults, "hangingRuns")
    this.listHistorySpans = mergeHistorySpans(this.listLag)
  }

  /**
   * Decides whether a cloud call at `now` fails, and returns the failure's
   * reason, or `undefined` when the call goes through. Each active
   * `cloudErrors` window that covers the operation draws once, in the order
   * of the faults list, and the first draw below its rate fails the call.
   */
  cloudCallFails(operation: CloudOperation, now: number): ProviderErrorReason | undefined {
    for (const window of this.cloudErrors) {
      if (!isActive(window, now) || !window.fault.operations.includes(operation)) continue
      if (this.random.next() < window.fault.rate) return window.fault.error
    }
    return undefined
  }

  /**
   * Draws the provisioning delay, in milliseconds, of an instance created at
   * `now` from the first active `slowProvisioning` window. Returns
   * `undefined` outside every window: the cloud's own delay applies.
   */
  provisioningDelay(now: number): number | undefined {
    for (const window of this.slowProvisioning) {
      if (isActive(window, now)) return window.delay(this.random)
    }
    return undefined
  }

  /**
   * Extra probability that an instance created at `now` fails to boot: the
   * active `bootFailures` windows fail it independently, so rates r1 and r2
   * combine to 1 - (1 - r1)(1 - r2). 0 outside every window.
   */
  bootFailureRate(now: number): number {
    return combinedRate(this.bootFailures, now)
  }

  /** Draws whether an instance created at `now` fails to boot because of a `bootFailures` window. */
  bootFails(now: number): boolean {
    return this.draw(this.bootFailureRate(now))
  }

  /** Age of the instance list the cloud returns at `now`, in milliseconds: the largest active lag, 0 outside every window. */
  listLagMs(now: number): number {
    let lag = 0
    for (const window of this.listLag) {
      if (isActive(window, now) && window.fault.lag > lag) lag = window.fault.lag
    }
    return lag
  }

  /** Probability that a run acquired at `now` hangs, combined over the active `hangingRuns` windows like `bootFailureRate`. */
  hangingRunRate(now: number): number {
    return combinedRate(this.hangingRuns, now)
  }

  /** Draws whether a run acquired at `now` hangs: it then never completes on its own. */
  runHangs(now: number): boolean {
    return this.draw(this.hangingRunRate(now))
  }

  private draw(rate: number): boolean {
    return rate > 0 && this.random.next() < rate
  }
}

const combinedRate = (windows: ReadonlyArray<Window<{ readonly rate: number }>>, now: number): number => {
  let survives = 1
  for (const window of windows) {
    if (isActive(window, now)) survives *= 1 - window.fault.rate
  }
  return 1 - survives
}

/** Merges the list-lag windows, each widened by its lag to the left, into disjoint history spans. */
const mergeHistorySpans = (windows: ReadonlyArray<Window<FaultOf<"listLag">>>): ReadonlyArray<ListHistorySpan> => {
  const wanted = windows
    .map((window) => ({ from: Math.max(0, window.at - window.fault.lag), until: window.until, maxLagMs: window.fault.lag }))
    .sort((a, b) => a.from - b.from)
  const spans: Array<ListHistorySpan> = []
  for (const span of wanted) {
    const last = spans[spans.length - 1]
    if (last !== undefined && span.from <= last.until) {
      spans[spans.length - 1] = {
        from: last.from,
        until: Math.max(last.until, span.until),
        maxLagMs: Math.max(last.maxLagMs, span.maxLagMs)
      }
    } else {
      spans.push(span)
    }
  }
  return spans
}
