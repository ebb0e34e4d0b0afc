import { Schedule } from "effect"
import type { ActionError } from "./errors.js"

/**
 * Retries of one provider call: exponential backoff from 1 s with jitter,
 * at most 3 retries, only for retryable failures (throttling, server errors,
 * timeouts). The jitter draws from the Random service, which simulations seed.
 */
export const providerCallRetry = {
  schedule: Schedule.exponential("1 second").pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(3))),
  while: (error: ActionError) => error.retryable
}

/**
 * Retries of a failed reconcile pass before the controller waits for the
 * next one: twice, 2 s apart, for retryable failures.
 */
export const reconcileRetry = {
  schedule: Schedule.spaced("2 seconds").pipe(Schedule.intersect(Schedule.recurs(2))),
  while: (error: ActionError) => error.retryable
}
