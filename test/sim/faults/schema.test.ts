import { Either, ParseResult, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { FAULT_KEYS, Faults, faultWindows, isReplicaFault } from "../../../sim/faults/schema.js"
import { faultsOf } from "./support.js"

/** Decodes a faults list that must be invalid and returns its first issue as `path: message`. */
const issueOf = (faults: ReadonlyArray<unknown>): string => {
  const result = Schema.decodeUnknownEither(Faults)(faults, { errors: "first" })
  if (Either.isRight(result)) throw new Error(`expected the faults to be rejected, got ${JSON.stringify(result.right)}`)
  const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
  return issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n")
}

describe("fault schema", () => {
  it("decodes every kind", () => {
    const faults = faultsOf(
      { kind: "cloudErrors", at: "1m", for: "5m", rate: 0.5, error: "throttled" },
      { kind: "slowProvisioning", at: "2m", for: "10m", delay: { kind: "constant", value: "20m" } },
      { kind: "bootFailures", at: "3m", for: "1m", rate: 1 },
      { kind: "listLag", at: "4m", for: "2m", lag: "30s" },
      { kind: "heartbeatLoss", at: "5m", runners: 2, state: "Idle" },
      { kind: "instanceUnhealthy", at: "6m", runners: 1 },
      { kind: "agentVersionBump", at: "7m", version: "2.0.0" },
      { kind: "hangingRuns", at: "8m", for: "1h", rate: 0.25 },
      { kind: "replicaCrash", at: "9m", replica: "leader" },
      { kind: "replicaPause", at: "10m", for: "1m", replica: 1 },
      { kind: "controlPlaneOutage", at: "11m", for: "2m", replica: 0 }
    )

    expect(faults.map((fault) => fault.kind)).toEqual(Object.keys(FAULT_KEYS))
    expect(faults[0]).toEqual({
      kind: "cloudErrors",
      at: 60_000,
      for: 300_000,
      rate: 0.5,
      error: "throttled",
      operations: ["provision", "terminate", "list"]
    })
    expect(faults[1]).toEqual({ kind: "slowProvisioning", at: 120_000, for: 600_000, delay: { kind: "constant", value: 1_200_000 } })
    expect(faults[4]).toEqual({ kind: "heartbeatLoss", at: 300_000, runners: 2, state: "Idle" })
    expect(faults[5]).toEqual({ kind: "instanceUnhealthy", at: 360_000, runners: 1 })
    expect(faults[8]).toEqual({ kind: "replicaCrash", at: 540_000, replica: "leader" })
    expect(faults[9]).toEqual({ kind: "replicaPause", at: 600_000, for: 60_000, replica: 1 })
    expect(faults.filter(isReplicaFault).map((fault) => fault.kind)).toEqual(["replicaCrash", "replicaPause", "controlPlaneOutage"])
  })

  it("window ends at at plus for", () => {
    const faults = faultsOf(
      { kind: "listLag", at: "4m", for: "2m", lag: "30s" },
      { kind: "heartbeatLoss", at: "5m", runners: 2 },
      { kind: "replicaPause", at: 0, for: "1m", replica: "leader" }
    )

    expect(faultWindows(faults)).toEqual([
      { kind: "listLag", at: 240_000, until: 360_000 },
      { kind: "heartbeatLoss", at: 300_000, until: 300_000 },
      { kind: "replicaPause", at: 0, until: 60_000 }
    ])
  })

  it("lists valid keys per kind", () => {
    expect(FAULT_KEYS.cloudErrors).toEqual(["kind", "at", "for", "rate", "error", "operations"])
    expect(FAULT_KEYS.heartbeatLoss).toEqual(["kind", "at", "runners", "state"])
    expect(FAULT_KEYS.replicaCrash).toEqual(["kind", "at", "replica"])
  })
})

describe("fault schema errors", () => {
  it.each([
    [
      "rate above 1",
      { kind: "cloudErrors", at: "1m", for: "5m", rate: 1.5, error: "server" },
      "0.rate: expected a probability from 0 to 1, got 1.5"
    ],
    [
      "negative rate",
      { kind: "bootFailures", at: "1m", for: "5m", rate: -0.1 },
      "0.rate: expected a probability from 0 to 1, got -0.1"
    ],
    ["zero window", { kind: "hangingRuns", at: "1m", for: "0s", rate: 0.1 }, "0.for: expected a duration greater than zero, got 0s"],
    ["zero lag", { kind: "listLag", at: "1m", for: "5m", lag: 0 }, "0.lag: expected a duration greater than zero, got 0s"],
    ["no runners", { kind: "heartbeatLoss", at: "1m", runners: 0 }, "0.runners: expected a whole number of runners, at least 1, got 0"],
    [
      "fractional runners",
      { kind: "instanceUnhealthy", at: "1m", runners: 1.5 },
      "0.runners: expected a whole number of runners, at least 1, got 1.5"
    ],
    ["bad duration", { kind: "heartbeatLoss", at: "soon", runners: 1 }, '0.at: expected a duration such as 90s, 5m, 1h30m, 48h or 7d, got "soon"'],
    ["bad replica", { kind: "replicaCrash", at: "1m", replica: "follower" }, '0.replica: expected leader or a replica index such as 0, got "follower"'],
    ["negative replica", { kind: "replicaCrash", at: "1m", replica: -1 }, "0.replica: expected leader or a replica index such as 0, got -1"],
    [
      "padded version",
      { kind: "agentVersionBump", at: "1m", version: " 2.0.0" },
      '0.version: expected an agent version such as 2.312.0, without spaces around it, got " 2.0.0"'
    ],
    [
      "no operations",
      { kind: "cloudErrors", at: "1m", for: "5m", rate: 1, error: "server", operations: [] },
      "0.operations: expected at least one of provision, terminate, list"
    ]
  ])("%s names key and value", (_, fault, expected) => {
    expect(issueOf([fault])).toBe(expected)
  })

  it("missing for names the key", () => {
    expect(issueOf([{ kind: "cloudErrors", at: "1m", rate: 0.5, error: "server" }])).toBe("0.for: is missing")
    expect(issueOf([{ kind: "slowProvisioning", at: "1m", delay: { kind: "constant", value: "5m" } }])).toBe("0.for: is missing")
  })

  it("instant fault rejects for", () => {
    const issue = issueOf([{ kind: "heartbeatLoss", at: "1m", for: "5m", runners: 1 }])
    expect(issue).toContain("0.for: is unexpected")
    expect(issue).toContain('"runners"')
  })

  it("unknown key lists valid keys", () => {
    const issue = issueOf([{ kind: "listLag", at: "1m", for: "5m", lag: "10s", delay: "1m" }])
    expect(issue).toBe('0.delay: is unexpected, expected: "kind" | "at" | "for" | "lag"')
  })

  it("unknown kind lists the kinds", () => {
    const issue = issueOf([{ kind: "diskFull", at: "1m" }])
    expect(issue).toMatch(/^0\.kind: Expected "cloudErrors" \| .*"controlPlaneOutage", actual "diskFull"$/)
  })

  it("unknown error reason names the value", () => {
    const issue = issueOf([{ kind: "cloudErrors", at: "1m", for: "5m", rate: 0.5, error: "quota" }])
    expect(issue.split("\n")).toEqual([
      '0.error: Expected "throttled", actual "quota"',
      '0.error: Expected "server", actual "quota"',
      '0.error: Expected "timeout", actual "quota"'
    ])
  })

  it("bad delay names the nested path", () => {
    const issue = issueOf([
      { kind: "cloudErrors", at: "1m", for: "5m", rate: 0.5, error: "server" },
      { kind: "slowProvisioning", at: "1m", for: "5m", delay: { kind: "exponential", mean: 0 } }
    ])
    expect(issue).toBe("1.delay.mean: expected a duration greater than zero, got 0s")
  })
})
