import type { PoolEvent } from "../../core/events.js"
import type { RunFailureReason } from "../../core/model.js"
import { RunState } from "../world/runs.js"
import type { RecordViolation } from "./violation.js"

const FAILURE_REASONS: ReadonlySet<RunFailureReason> = new Set<RunFailureReason>(["runTimeout", "runnerRemoved"])

/** Names of the run-table states, indexed by `RunState`. */
const STATE_NAMES = ["Pending", "Queued", "Running", "Completed", "Failed"]

/**
 * Checks `runLost`: every run that arrived ends, by the events, completed or
 * failed with a known reason, or is still queued or running in the run
 * table at the horizon. Breaches:
 *
 * - a `RunFailed` without a known reason, recorded when it happens;
 * - at the horizon, a run queued by the events that has no end event and
 *   that the run table does not record as Queued or Running;
 * - at the horizon, a run the run table records as arrived (in any state
 *   but Pending) that no `RunQueued` event announced.
 */
export class RunChecks {
  /** Arrival time of each run queued by the events that has not ended by them. */
  private readonly open = new Map<number, number>()
  /** 1 for each run id a `RunQueued` event announced, by run id. */
  private announced = new Uint8Array(64)

  constructor(private readonly record: RecordViolation) {}

  onEvent(event: PoolEvent): void {
    switch (event.kind) {
      case "RunQueued":
        this.open.set(event.runId, event.at)
        this.announce(event.runId)
        return
      case "RunCompleted":
        this.open.delete(event.runId)
        return
      case "RunFailed":
        this.open.delete(event.runId)
        if (!FAILURE_REASONS.has(event.reason)) {
          this.record({
            invariant: "runLost",
            at: event.at,
            ids: [String(event.runId)],
            detail: `run ${event.runId} failed on runner ${event.runnerId} without a known reason (${String(event.reason)})`
          })
        }
        return
    }
  }

  /** Checks the open runs and the unannounced ones against the run table's `states`, indexed by run id. */
  finish(states: ArrayLike<number>, horizonMs: number): void {
    const lost = (runId: number, detail: string) =>
      this.record({ invariant: "runLost", at: horizonMs, ids: [String(runId)], detail })

    for (const [runId, queuedAt] of [...this.open].sort((a, b) => a[0] - b[0])) {
      const state = states[runId]
      if (state === RunState.Queued || state === RunState.Running) continue
      const where = state === undefined ? "is not in the run table" : `is ${STATE_NAMES[state] ?? `in state ${state}`} in the run table`
      lost(runId, `run ${runId}, queued at ${queuedAt} ms, has no end event and ${where}`)
    }

    for (let runId = 0; runId < states.length; runId++) {
      const state = states[runId]!
      if (state === RunState.Pending || this.isAnnounced(runId)) continue
      lost(runId, `run ${runId} is ${STATE_NAMES[state] ?? `in state ${state}`} in the run table, but no RunQueued event announced it`)
    }
  }

  private announce(runId: number): void {
    if (runId >= this.announced.length) {
      const grown = new Uint8Array(Math.max(runId + 1, this.announced.length * 2))
      grown.set(this.announced)
      this.announced = grown
    }
    this.announced[runId] = 1
  }

  private isAnnounced(runId: number): boolean {
    return runId < this.announced.length && this.announced[runId] === 1
  }
}
