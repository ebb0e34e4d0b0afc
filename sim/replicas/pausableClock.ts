import { Clock, Duration, Effect } from "effect"
import { wakeUpTime, type Kernel } from "../kernel/kernel.js"

/**
 * A replica's view of virtual time. While the replica is paused (a
 * stop-the-world pause of its process), none of its sleeps end: a sleep due
 * inside a pause ends when the pause does. The replica reads the same time
 * as the rest of the simulation.
 */
export const makePausableClock = (kernel: Kernel, pausedUntil: () => number): Clock.Clock => {
  const sleepUntil = (time: number, resume: (effect: Effect.Effect<void>) => void, handle: { entry: ReturnType<Kernel["at"]> }) => {
    handle.entry = kernel.at(time, () => {
      const until = pausedUntil()
      if (until > kernel.now) sleepUntil(until, resume, handle)
      else resume(Effect.void)
    })
  }
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => kernel.now,
    currentTimeMillis: kernel.clock.currentTimeMillis,
    unsafeCurrentTimeNanos: () => kernel.clock.unsafeCurrentTimeNanos(),
    currentTimeNanos: kernel.clock.currentTimeNanos,
    sleep: (duration) =>
      Effect.async<void>((resume) => {
        const handle = { entry: undefined as unknown as ReturnType<Kernel["at"]> }
        sleepUntil(wakeUpTime(kernel.now, Duration.toMillis(duration)), resume, handle)
        return Effect.sync(() => kernel.cancel(handle.entry))
      })
  }
}
