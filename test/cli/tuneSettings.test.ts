import { describe, expect, it, vi } from "vitest"
import { setsOf } from "../../cli/tune/evaluate.js"
import { parseKnobs } from "../../cli/tune/options.js"
import { changedPoolSettings } from "../../cli/tune/output.js"
import { defaultPoolSettings } from "../../core/settings.js"
import { InputError } from "../../sim/scenario/inputError.js"

const pool = defaultPoolSettings({ targetUtilization: { target: 0.7, tolerance: 0.3, stabilizationWindow: "2m" } })

const knobError = (text: string): string => {
  try {
    parseKnobs([text], pool)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error(`--knob ${text} was accepted`)
}

describe("tune settings", () => {
  it("writes infinite durations as off", () => {
    expect(setsOf({ "pool.idleTimeout": Infinity, "pool.maxPoolSize": 5 })).toEqual(["pool.idleTimeout=off", "pool.maxPoolSize=5"])
  })

  it("quotes strings", () => {
    expect(setsOf({ "pool.policy": "queue-depth" })).toEqual(['pool.policy="queue-depth"'])
  })

  it("accepts off as a knob value", () => {
    expect(parseKnobs(["pool.idleTimeout=off,5m"], pool)).toEqual([{ path: "pool.idleTimeout", values: [Infinity, 300_000] }])
  })

  it("reports a bad knob value in one line", () => {
    const message = knobError("pool.maxPoolSize=0,2")
    expect(message).toBe("--knob 'pool.maxPoolSize=0,2': pool.maxPoolSize=0 is invalid: pool.maxPoolSize: Expected a number greater than or equal to 1, actual 0")
  })

  it("names an invalid YAML value", () => {
    expect(knobError('pool.maxPoolSize="5')).toMatch(/^--knob 'pool\.maxPoolSize="5': value ""5" is not valid YAML \(Missing closing "quote/)
    expect(knobError("pool.maxPoolSize=[5")).toMatch(/^--knob 'pool\.maxPoolSize=\[5': value "\[5" is not valid YAML \(/)
  })

  it("warns nothing for an unresolved tag", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {})
    try {
      expect(knobError("pool.maxPoolSize=!!int x")).toContain("--knob 'pool.maxPoolSize=!!int x': pool.maxPoolSize=!!int x is invalid")
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  it("names the option of a bad policy value", () => {
    expect(knobError("pool.targetUtilization.target=0.5,2")).toContain("pool.targetUtilization.target: expected a utilization greater than 0 and at most 1, got 2")
  })

  it("prints a changed option's whole mapping", () => {
    const changed = changedPoolSettings(pool, { "pool.policy": "target-utilization", "pool.targetUtilization.target": 0.9 })
    expect(changed).toEqual({ policy: "target-utilization", targetUtilization: { target: 0.9, tolerance: 0.3, stabilizationWindow: "2m" } })
  })

  it("prints an infinite duration as off", () => {
    const changed = changedPoolSettings(pool, { "pool.policy": "queue-depth", "pool.idleTimeout": Infinity })
    expect(changed).toEqual({ policy: "queue-depth", idleTimeout: "off" })
  })

  it("leaves out unchanged settings", () => {
    const changed = changedPoolSettings(pool, { "pool.policy": "queue-depth", "pool.maxPoolSize": 10, "pool.minPoolSize": 2 })
    expect(changed).toEqual({ policy: "queue-depth", minPoolSize: 2 })
  })
})
