import { Clock, Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventHeap } from "../../sim/kernel/heap.js"
import { Kernel, OutsideVirtualTimeError, wakeUpTime } from "../../sim/kernel/kernel.js"

/** Lets the host run pending Promise callbacks and timers once. */
const hostTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe("EventHeap", () => {
  it("pops by time, then insertion order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const heap = new EventHeap()
        times.forEach((time) => heap.push(time, () => {}))
        const popped: Array<[number, number]> = []
        for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) popped.push([entry.time, entry.sequence])

        const expected = times.map((time, sequence): [number, number] => [time, sequence])
        expected.sort((a, b) => a[0] - b[0] || a[1] - b[1])
        expect(popped).toEqual(expected)
      }),
      { numRuns: 300 }
    )
  })
})

describe("Kernel", () => {
  it("runs entries by time, ties first in first out", () => {
    const kernel = new Kernel()
    const order: Array<string> = []
    kernel.at(30, () => order.push("c@30"))
    kernel.at(10, () => order.push("a@10"))
    kernel.at(20, () => order.push("b1@20"))
    kernel.at(20, () => order.push("b2@20"))
    kernel.at(10, () => order.push("a2@10"))

    kernel.runUntil(100)

    expect(order).toEqual(["a@10", "a2@10", "b1@20", "b2@20", "c@30"])
    expect(kernel.steps).toBe(5)
  })

  it("runs entries scheduled during a step at their time", () => {
    const kernel = new Kernel()
    const seen: Array<[string, number]> = []
    kernel.at(10, () => {
      seen.push(["first", kernel.now])
      kernel.after(5, () => seen.push(["after 5", kernel.now]))
      kernel.at(3, () => seen.push(["in the past", kernel.now]))
      kernel.after(-7, () => seen.push(["negative delay", kernel.now]))
    })

    kernel.runUntil(100)

    expect(seen).toEqual([
      ["first", 10],
      ["in the past", 10],
      ["negative delay", 10],
      ["after 5", 15]
    ])
  })

  it("skips cancelled entries", () => {
    const kernel = new Kernel()
    const order: Array<string> = []
    kernel.at(10, () => order.push("kept"))
    const cancelled = kernel.at(5, () => order.push("cancelled"))
    const cancelledLater = kernel.at(20, () => order.push("cancelled by a step"))
    kernel.at(15, () => kernel.cancel(cancelledLater))
    kernel.cancel(cancelled)

    kernel.runUntil(100)

    expect(order).toEqual(["kept"])
    expect(kernel.steps).toBe(2)
  })

  it("runUntil stops before the horizon", () => {
    const kernel = new Kernel()
    const ran: Array<number> = []
    kernel.at(99, () => ran.push(99))
    kernel.at(100, () => ran.push(100))

    kernel.runUntil(100)

    expect(ran).toEqual([99])
    expect(kernel.now).toBe(100)

    kernel.runUntil(101)

    expect(ran).toEqual([99, 100])
    expect(kernel.now).toBe(101)
  })

  it("advances an idle clock to the horizon", () => {
    const kernel = new Kernel()
    kernel.runUntil(5_000)
    expect(kernel.now).toBe(5_000)
    expect(kernel.steps).toBe(0)
  })

  it("sleeps fibers in virtual time", () => {
    const kernel = new Kernel()
    const wakes: Array<number> = []
    const program = Effect.gen(function* () {
      for (let i = 0; i < 3; i++) {
        yield* Effect.sleep("2 seconds")
        wakes.push(yield* Clock.currentTimeMillis)
      }
    }).pipe(Effect.withClock(kernel.clock))

    kernel.step(() => {
      Effect.runFork(program, { scheduler: kernel.scheduler })
    })
    kernel.runUntil(5_000)

    expect(wakes).toEqual([2_000, 4_000])
    kernel.runUntil(10_000)
    expect(wakes).toEqual([2_000, 4_000, 6_000])
  })

  it("interrupting a sleeping fiber cancels its wake-up", () => {
    const kernel = new Kernel()
    let woke = false
    const program = Effect.sleep("1 second").pipe(
      Effect.tap(() => Effect.sync(() => (woke = true))),
      Effect.withClock(kernel.clock)
    )
    kernel.step(() => {
      const fiber = Effect.runFork(program, { scheduler: kernel.scheduler })
      kernel.at(500, () => {
        Effect.runFork(fiber.interruptAsFork(fiber.id()), { scheduler: kernel.scheduler })
      })
    })

    kernel.runUntil(2_000)

    expect(woke).toBe(false)
    expect(kernel.steps).toBe(1)
  })
})

describe("virtual time guard", () => {
  /** Forks, inside a kernel step, a fiber that waits on `wait` and records that it resumed. */
  const forkWaitingFiber = (kernel: Kernel, wait: (resume: () => void) => void) => {
    const state = { resumed: false }
    const program = Effect.async<void>((resume) => {
      wait(() => resume(Effect.void))
    }).pipe(Effect.tap(() => Effect.sync(() => (state.resumed = true))))
    kernel.step(() => {
      Effect.runFork(program, { scheduler: kernel.scheduler })
    })
    return state
  }

  it("Promise resume makes runUntil throw", async () => {
    const kernel = new Kernel()
    forkWaitingFiber(kernel, (resume) => {
      void Promise.resolve().then(resume)
    })

    await hostTurn()

    expect(() => kernel.runUntil(1_000)).toThrow(OutsideVirtualTimeError)
  })

  it("timer resume makes assertInsideVirtualTime throw", async () => {
    const kernel = new Kernel()
    forkWaitingFiber(kernel, (resume) => {
      setTimeout(resume, 1)
    })

    await new Promise<void>((resolve) => setTimeout(resolve, 20))

    expect(() => kernel.assertInsideVirtualTime()).toThrow(OutsideVirtualTimeError)
    expect(() => kernel.assertInsideVirtualTime()).toThrow(/1 fiber resumption/)
  })

  it("timer resume makes a later step throw", async () => {
    const kernel = new Kernel()
    forkWaitingFiber(kernel, (resume) => {
      setTimeout(resume, 1)
    })

    await new Promise<void>((resolve) => setTimeout(resolve, 20))

    expect(() => kernel.step(() => {})).toThrow(OutsideVirtualTimeError)
  })

  it("kernel resume stays inside virtual time", async () => {
    const kernel = new Kernel()
    const state = forkWaitingFiber(kernel, (resume) => {
      kernel.at(50, resume)
    })

    await hostTurn()
    kernel.runUntil(1_000)

    expect(state.resumed).toBe(true)
    expect(() => kernel.assertInsideVirtualTime()).not.toThrow()
  })
})

describe("virtual sleep", () => {
  it("rounds wake-ups up to whole milliseconds", () => {
    expect(wakeUpTime(0, 0)).toBe(0)
    expect(wakeUpTime(10, 2.5)).toBe(13)
    expect(wakeUpTime(10.2, 0.3)).toBe(11)
    expect(wakeUpTime(5, 1e-20)).toBe(6)
    expect(wakeUpTime(11_570_504.418896997, 1e-6)).toBe(11_570_505)
  })

  it("ends a jittered sleep on a whole millisecond", () => {
    const kernel = new Kernel()
    let wokeAt = -1
    kernel.at(1_000.25, () => {
      const nap = Effect.sleep(1_234.5678).pipe(Effect.zipRight(Clock.currentTimeMillis))
      Effect.runFork(Effect.withClock(nap, kernel.clock), { scheduler: kernel.scheduler }).addObserver((exit) => {
        if (exit._tag === "Success") wokeAt = exit.value
      })
    })
    kernel.runUntil(10_000)
    expect(wokeAt).toBe(2_235)
  })
})
