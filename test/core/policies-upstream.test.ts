import { describe, expect, it } from "vitest"
import { arcScaleSet } from "../../core/policies/arcScaleSet.js"
import { buildkite } from "../../core/policies/buildkite.js"
import { gitlabIdle } from "../../core/policies/gitlabIdle.js"
import { kedaScaledJob } from "../../core/policies/kedaScaledJob.js"
import { POLICY_NAMES } from "../../core/policies/names.js"
import { decide } from "../../core/policies/policy.js"
import { RecommendationHistory } from "../../core/policies/recommendations.js"
import { policyByName } from "../../core/policies/registry.js"
import { recommendTargetUtilization, targetUtilization } from "../../core/policies/targetUtilization.js"
import { policyInput as input } from "./policies.support.js"

const MINUTE = 60_000
const NOW = 3_600_000

describe("policyByName", () => {
  it.each(POLICY_NAMES)("%s resolves to its policy", (name) => {
    expect(policyByName(name).name).toBe(name)
  })
})

describe("targetUtilization", () => {
  const pool = { minPoolSize: 0, maxPoolSize: 50 }

  it("scales demand by the target", () => {
    // 10 healthy runners, all busy, no queue: utilisation 1.0 against 0.7 wants ceil(10 / 0.7) = 15.
    expect(targetUtilization.desired(input({ running: 10, instances: 10 }, pool))).toBe(15)
  })

  it("counts queued runs as demand", () => {
    // 4 busy + 3 queued = 7 runs want a runner: ceil(7 / 0.7) = 10.
    expect(targetUtilization.desired(input({ running: 4, queueDepth: 3, instances: 4 }, pool))).toBe(10)
  })

  it("keeps an exact quotient", () => {
    expect(recommendTargetUtilization(input({ queueDepth: 7 }, pool))).toBe(10)
  })

  it("uses demand over target with no healthy runner", () => {
    expect(recommendTargetUtilization(input({ queueDepth: 3 }, pool))).toBe(5)
    expect(recommendTargetUtilization(input({}, pool))).toBe(0)
  })

  it("skips a change within the tolerance", () => {
    // 15 runs on 20 runners: 15 / (20 × 0.7) = 1.071, within 0.1 of 1.
    const within = input({ running: 15, idle: 5, instances: 20 }, pool)
    expect(recommendTargetUtilization(within)).toBe(20)
    const strict = input({ running: 15, idle: 5, instances: 20 }, { ...pool, targetUtilization: { tolerance: 0 } })
    expect(recommendTargetUtilization(strict)).toBe(22)
  })

  it("changes just outside the tolerance", () => {
    // 16 runs on 20 runners: 16 / 14 = 1.143, outside 0.1, so ceil(16 / 0.7) = 23.
    expect(recommendTargetUtilization(input({ running: 16, idle: 4, instances: 20 }, pool))).toBe(23)
  })

  it("clamps to the pool bounds", () => {
    expect(targetUtilization.desired(input({ queueDepth: 100 }, { minPoolSize: 0, maxPoolSize: 12 }))).toBe(12)
    expect(targetUtilization.desired(input({}, { minPoolSize: 3, maxPoolSize: 12 }))).toBe(3)
  })

  describe("stabilization", () => {
    // 12 healthy runners, 2 of them busy: the raw recommendation is ceil(2 / 0.7) = 3.
    const quiet = (recommendations: RecommendationHistory) =>
      input({ now: NOW, running: 2, idle: 10, instances: 12, recommendations }, pool)

    const history = (...entries: ReadonlyArray<[number, number]>): RecommendationHistory => {
      const recorded = new RecommendationHistory()
      for (const [at, value] of entries) recorded.record(at, value, -Infinity)
      return recorded
    }

    it("keeps the window maximum on scale-down", () => {
      expect(targetUtilization.desired(quiet(history([NOW - 4 * MINUTE, 12])))).toBe(12)
      expect(targetUtilization.desired(quiet(history([NOW - 4 * MINUTE, 8])))).toBe(8)
    })

    it("forgets recommendations older than the window", () => {
      expect(targetUtilization.desired(quiet(history([NOW - 6 * MINUTE, 12])))).toBe(3)
    })

    it("never raises the count from the window", () => {
      expect(targetUtilization.desired(quiet(history([NOW - MINUTE, 30])))).toBe(12)
    })

    it("does not delay scale-up", () => {
      const busy = input({ now: NOW, running: 12, queueDepth: 4, instances: 12, recommendations: history([NOW - MINUTE, 3]) }, pool)
      expect(targetUtilization.desired(busy)).toBe(23)
    })

    it("records the raw recommendation", () => {
      const quietInput = quiet(history([NOW - MINUTE, 12]))
      expect(targetUtilization.stabilization?.recommend(quietInput)).toBe(3)
      expect(targetUtilization.stabilization?.windowMs(quietInput.settings)).toBe(5 * MINUTE)
    })
  })
})

describe("kedaScaledJob", () => {
  const pool = { minPoolSize: 0, maxPoolSize: 10 }
  const accurate = { ...pool, kedaScaledJob: { strategy: "accurate" as const } }

  it("default subtracts every unfinished runner", () => {
    // maxScale = 5 queued, and 5 unfinished runners (2 pending): 5 − 5 = 0 new.
    const pending = input({ queueDepth: 5, provisioning: 2, running: 3, instances: 5 }, pool)
    expect(kedaScaledJob.desired(pending)).toBe(5)
  })

  it("accurate subtracts only pending runners", () => {
    // maxScale + running = 10, not above 10: 5 − 2 pending = 3 new.
    const pending = input({ queueDepth: 5, provisioning: 2, running: 3, instances: 5 }, accurate)
    expect(kedaScaledJob.desired(pending)).toBe(8)
  })

  it("accurate caps at the maximum", () => {
    // maxScale 8 + running 5 = 13 > 12: 12 − 5 = 7 new, 12 in all.
    const busy = input({ queueDepth: 8, running: 5, instances: 5 }, { ...accurate, maxPoolSize: 12 })
    expect(kedaScaledJob.desired(busy)).toBe(12)
    const small = input({ queueDepth: 8, running: 5, instances: 5 }, { ...pool, maxPoolSize: 12 })
    expect(kedaScaledJob.desired(small)).toBe(8)
  })

  it("subtracts the minimum first", () => {
    // min 2, 4 runners: running = 4 − 2 = 2, maxScale 3: default creates 3 − 2 = 1.
    const withMinimum = input({ queueDepth: 3, idle: 2, running: 2, instances: 4 }, { minPoolSize: 2, maxPoolSize: 10 })
    expect(kedaScaledJob.desired(withMinimum)).toBe(5)
  })

  it("fills up to the minimum", () => {
    expect(kedaScaledJob.desired(input({ running: 1, instances: 1 }, { minPoolSize: 3, maxPoolSize: 10 }))).toBe(3)
  })

  it("divides the queue by targetQueueLength", () => {
    expect(kedaScaledJob.desired(input({ queueDepth: 7 }, { ...pool, kedaScaledJob: { targetQueueLength: 3 } }))).toBe(3)
  })

  it("never requests fewer runners", () => {
    expect(kedaScaledJob.desired(input({ idle: 6, instances: 6 }, pool))).toBe(6)
    expect(kedaScaledJob.desired(input({ idle: 6, instances: 6 }, accurate))).toBe(6)
  })
})

describe("arcScaleSet", () => {
  const pool = { minPoolSize: 2, maxPoolSize: 10 }

  it.each([
    [0, 0, 2],
    [3, 4, 9],
    [10, 4, 10],
    [0, 5, 7]
  ])("queue %i with %i running wants %i", (queued, running, desired) => {
    expect(arcScaleSet.desired(input({ queueDepth: queued, running, instances: running }, pool))).toBe(desired)
  })

  it("removes surplus Idle runners only", () => {
    const surplus = input({ idle: 3, running: 5, instances: 8 }, { ...pool, scaleDownCooldownMs: 0 })
    const desired = arcScaleSet.desired(surplus)
    expect(desired).toBe(7)
    expect(decide(surplus, desired)).toEqual({ kind: "scaleDown", desired: 7, count: 1 })
  })
})

describe("gitlabIdle", () => {
  const pool = { minPoolSize: 0, maxPoolSize: 30 }

  it("keeps idleCount idle runners", () => {
    expect(gitlabIdle.desired(input({ running: 4, instances: 4 }, pool))).toBe(5)
    expect(gitlabIdle.desired(input({}, pool))).toBe(1)
  })

  it("counts queued runs as in use", () => {
    // 4 running + 20 queued in use, plus idleCount 1.
    expect(gitlabIdle.desired(input({ running: 4, queueDepth: 20, instances: 4 }, pool))).toBe(25)
  })

  it("serves runs with idleCount 0", () => {
    const onDemand = { ...pool, gitlabIdle: { idleCount: 0 } }
    expect(gitlabIdle.desired(input({ queueDepth: 3 }, onDemand))).toBe(3)
    expect(gitlabIdle.desired(input({}, onDemand))).toBe(0)
  })

  it("adds scaleFactor idle runners per busy one", () => {
    // 9 busy × 0.5 = 4.5, rounded up to 5, above idleCount 2.
    const factor = { ...pool, gitlabIdle: { idleCount: 2, scaleFactor: 0.5, scaleFactorLimit: 10 } }
    expect(gitlabIdle.desired(input({ running: 9, instances: 9 }, factor))).toBe(14)
  })

  it("caps the factor at scaleFactorLimit", () => {
    const limited = { ...pool, gitlabIdle: { idleCount: 2, scaleFactor: 0.5, scaleFactorLimit: 3 } }
    expect(gitlabIdle.desired(input({ running: 9, instances: 9 }, limited))).toBe(12)
    const noLimit = { ...pool, gitlabIdle: { idleCount: 2, scaleFactor: 0.5 } }
    expect(gitlabIdle.desired(input({ running: 9, instances: 9 }, noLimit))).toBe(11)
  })

  it("clamps to the maximum", () => {
    expect(gitlabIdle.desired(input({ running: 30, instances: 30 }, pool))).toBe(30)
  })
})

describe("buildkite", () => {
  const pool = { minPoolSize: 0, maxPoolSize: 20 }

  it("wants one instance per queued or running run", () => {
    expect(buildkite.desired(input({ queueDepth: 3, running: 2, instances: 2 }, pool))).toBe(5)
    expect(buildkite.desired(input({}, pool))).toBe(0)
  })

  it("packs agents into instances", () => {
    // 5 runs need ceil(5 / 4) = 2 instances.
    const packed = input({ queueDepth: 3, running: 2, instances: 2 }, { ...pool, buildkite: { agentsPerInstance: 4 } })
    expect(buildkite.desired(packed)).toBe(2)
  })

  it("adds a buffer of at most one per instance", () => {
    const buffered = { ...pool, buildkite: { instanceBuffer: 2 } }
    expect(buildkite.desired(input({ queueDepth: 3, running: 2, instances: 2 }, buffered))).toBe(7)
    expect(buildkite.desired(input({ queueDepth: 1 }, buffered))).toBe(2)
    expect(buildkite.desired(input({}, buffered))).toBe(0)
  })

  it("rounds a partial scale-out up", () => {
    // Target 7 from 2: 2 + ceil(5 × 0.5) = 5.
    const halfOut = { ...pool, buildkite: { instanceBuffer: 2, scaleOutFactor: 0.5 } }
    expect(buildkite.desired(input({ queueDepth: 3, running: 2, instances: 2 }, halfOut))).toBe(5)
  })

  it("rounds a partial scale-in away from zero", () => {
    // Target 1 from 6: 6 + floor(−5 × 0.5) = 6 − 3 = 3.
    const halfIn = { ...pool, buildkite: { scaleInFactor: 0.5 } }
    expect(buildkite.desired(input({ running: 1, idle: 5, instances: 6 }, halfIn))).toBe(3)
  })

  it("caps a scaled-out count at the maximum", () => {
    // Target 14 from 10: 10 + ceil(4 × 3) = 22, above the maximum of 20.
    const tripled = { ...pool, buildkite: { scaleOutFactor: 3 } }
    expect(buildkite.desired(input({ queueDepth: 4, running: 10, instances: 10 }, tripled))).toBe(20)
  })
})
