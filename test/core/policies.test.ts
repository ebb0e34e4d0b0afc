import { describe, expect, it } from "vitest"
import { decide } from "../../core/policies/policy.js"
import { queueDepth, queueDepthBusy } from "../../core/policies/queueDepth.js"
import { policyByName } from "../../core/policies/registry.js"
import { compareVersions } from "../../core/version.js"
import { policyInput } from "./policies.support.js"

const input = policyInput

describe("queueDepth", () => {
  const pool = { minPoolSize: 2, maxPoolSize: 20, queueDepthThreshold: 10 }

  it.each([
    [0, 2],
    [1, 2],
    [20, 2],
    [21, 3],
    [100, 10],
    [101, 11],
    [200, 20],
    [10_000, 20]
  ])("queue of %i wants %i runners", (queued, desired) => {
    expect(queueDepth.desired(input({ queueDepth: queued }, pool))).toBe(desired)
  })

  it("ignores busy runners", () => {
    const busy = input({ queueDepth: 30, running: 8, idle: 0, instances: 8 }, pool)
    expect(queueDepth.desired(busy)).toBe(3)
  })
})

describe("queueDepthBusy", () => {
  const pool = { minPoolSize: 1, maxPoolSize: 12, queueDepthThreshold: 5 }

  it.each([
    [0, 0, 1],
    [0, 4, 4],
    [1, 4, 5],
    [10, 4, 6],
    [11, 4, 7],
    [50, 8, 12]
  ])("queue %i with %i running wants %i", (queued, running, desired) => {
    expect(queueDepthBusy.desired(input({ queueDepth: queued, running, instances: running }, pool))).toBe(desired)
  })

  it("is selected by its name", () => {
    expect(policyByName("queue-depth-busy")).toBe(queueDepthBusy)
    expect(policyByName("queue-depth")).toBe(queueDepth)
  })
})

describe("decide", () => {
  const noCooldown = { scaleUpCooldownMs: 0, scaleDownCooldownMs: 0, maxPoolSize: 10 }

  it("provisions the difference to desired", () => {
    const decision = decide(input({ idle: 2, running: 1, instances: 3 }, noCooldown), 7)
    expect(decision).toEqual({ kind: "scaleUp", desired: 7, count: 4 })
  })

  it("counts Provisioning runners as capacity", () => {
    const decision = decide(input({ provisioning: 3, idle: 1, instances: 4 }, noCooldown), 4)
    expect(decision).toEqual({ kind: "hold", desired: 4 })
  })

  it("caps scale-up by every existing instance", () => {
    // 4 healthy runners, but 3 Tainted and 2 terminating instances also exist: 9 of 10.
    const decision = decide(input({ idle: 2, running: 2, tainted: 3, instances: 9 }, noCooldown), 10)
    expect(decision).toEqual({ kind: "scaleUp", desired: 10, count: 1 })
  })

  it("holds at the maximum instance count", () => {
    const decision = decide(input({ running: 6, tainted: 4, instances: 10 }, noCooldown), 10)
    expect(decision).toEqual({ kind: "hold", desired: 10 })
  })

  it("taints Idle runners only", () => {
    const decision = decide(input({ idle: 2, running: 5, provisioning: 3, instances: 10 }, noCooldown), 1)
    expect(decision).toEqual({ kind: "scaleDown", desired: 1, count: 2 })
  })

  it("holds scale-down with no Idle runner", () => {
    const decision = decide(input({ running: 5, provisioning: 3, instances: 8 }, noCooldown), 1)
    expect(decision).toEqual({ kind: "hold", desired: 1 })
  })

  it("taints only the excess", () => {
    const decision = decide(input({ idle: 6, running: 2, instances: 8 }, noCooldown), 5)
    expect(decision).toEqual({ kind: "scaleDown", desired: 5, count: 3 })
  })

  it("holds when desired equals healthy", () => {
    expect(decide(input({ idle: 3, instances: 5, tainted: 2 }, noCooldown), 3)).toEqual({ kind: "hold", desired: 3 })
  })

  describe("cooldowns", () => {
    const cooldowns = { scaleUpCooldownMs: 60_000, scaleDownCooldownMs: 300_000, maxPoolSize: 10 }
    const now = 3_600_000

    it("scale-up cooldown holds scale-up", () => {
      const decision = decide(input({ idle: 2, instances: 2, lastScaleUpAt: now - 59_999 }, cooldowns), 5)
      expect(decision.kind).toBe("hold")
    })

    it("scale-up cooldown ends after its duration", () => {
      const decision = decide(input({ idle: 2, instances: 2, lastScaleUpAt: now - 60_000 }, cooldowns), 5)
      expect(decision).toEqual({ kind: "scaleUp", desired: 5, count: 3 })
    })

    it("scale-up cooldown does not hold scale-down", () => {
      const decision = decide(input({ idle: 4, instances: 4, lastScaleUpAt: now - 1 }, cooldowns), 1)
      expect(decision).toEqual({ kind: "scaleDown", desired: 1, count: 3 })
    })

    it("scale-down cooldown holds scale-down", () => {
      const decision = decide(input({ idle: 4, instances: 4, lastScaleDownAt: now - 299_999 }, cooldowns), 1)
      expect(decision.kind).toBe("hold")
    })

    it("scale-down cooldown ends after its duration", () => {
      const decision = decide(input({ idle: 4, instances: 4, lastScaleDownAt: now - 300_000 }, cooldowns), 1)
      expect(decision).toEqual({ kind: "scaleDown", desired: 1, count: 3 })
    })

    it("scale-down cooldown does not hold scale-up", () => {
      const decision = decide(input({ idle: 1, instances: 1, lastScaleDownAt: now - 1 }, cooldowns), 4)
      expect(decision).toEqual({ kind: "scaleUp", desired: 4, count: 3 })
    })
  })

  it("10 runners and threshold 10: 100 queued holds, 101 scales up", () => {
    const pool = { minPoolSize: 0, maxPoolSize: 20, queueDepthThreshold: 10, scaleUpCooldownMs: 0 }
    const at100 = input({ running: 10, instances: 10, queueDepth: 100 }, pool)
    const at101 = input({ running: 10, instances: 10, queueDepth: 101 }, pool)

    expect(decide(at100, queueDepth.desired(at100))).toEqual({ kind: "hold", desired: 10 })
    expect(decide(at101, queueDepth.desired(at101))).toEqual({ kind: "scaleUp", desired: 11, count: 1 })
  })
})

describe("compareVersions", () => {
  it.each([
    ["1.0.0", "1.0.0", 0],
    ["1.0.0", "2.0.0", -1],
    ["2.0.0", "1.0.0", 1],
    ["2.9.0", "2.10.0", -1],
    ["2.311.0", "2.309.5", 1],
    ["1.2", "1.2.0", 0],
    ["1.2", "1.2.1", -1],
    ["1.2.0-rc1", "1.2.0-rc2", -1],
    ["1.2.0-beta", "1.2.0-alpha", 1],
    ["2.0.0-rc1", "2.0.0", -1],
    ["2.0", "2.0.0-rc1", 1],
    ["2.0.0-rc.2", "2.0.0-rc.10", -1]
  ])("%s against %s has sign %i", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign)
  })

  it("is antisymmetric", () => {
    const versions = ["1.0.0", "1.0.1", "1.10.0", "1.9.9", "2.0", "2.0.0-rc1"]
    for (const a of versions) {
      for (const b of versions) expect(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a)), `${a} against ${b}`).toBe(0)
    }
  })
})
