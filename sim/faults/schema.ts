import { ParseResult, Schema } from "effect"
import { DurationMs, formatDurationMs } from "../../core/duration.js"
import { DurationDistribution, strictKeys } from "../workload/distributionSchema.js"
import { formatValue } from "../../core/formatValue.js"

const Probability = Schema.Number.pipe(
  Schema.filter((p) => (p >= 0 && p <= 1) || `expected a probability from 0 to 1, got ${p}`)
)

const PositiveDuration = DurationMs.pipe(
  Schema.filter((ms) => ms > 0 || `expected a duration greater than zero, got ${formatDurationMs(ms)}`)
)

const RunnerCount = Schema.Number.pipe(
  Schema.filter((n) => (Number.isInteger(n) && n >= 1) || `expected a whole number of runners, at least 1, got ${n}`)
)

const AgentVersion = Schema.String.pipe(
  Schema.filter(
    (version) =>
      (version.length > 0 && version.trim() === version) ||
      `expected an agent version such as 2.312.0, without spaces around it, got ${JSON.stringify(version)}`
  )
)

/** Registry status of the runners a runner fault picks from. Any status when absent. */
const RunnerState = Schema.Literal("Idle", "Running")

/** Error reasons an injected cloud failure can carry: the retryable ones a real provider returns under load. */
export const INJECTED_CLOUD_ERRORS = ["throttled", "server", "timeout"] as const

/** Cloud provider calls an injected failure can hit. */
export const CLOUD_OPERATIONS = ["provision", "terminate", "list"] as const
export type CloudOperation = (typeof CLOUD_OPERATIONS)[number]

const CloudOperations = Schema.Array(Schema.Literal(...CLOUD_OPERATIONS)).pipe(
  Schema.filter((operations) => operations.length > 0 || "expected at least one of provision, terminate, list")
)

/** `leader` (the replica holding the lease when the fault starts) or a replica index from 0. */
const ReplicaTarget = Schema.transformOrFail(
  Schema.Union(Schema.String, Schema.Number),
  Schema.Union(Schema.Literal("leader"), Schema.Number),
  {
    strict: true,
    decode: (input, _, ast) => {
      if (input === "leader") return ParseResult.succeed("leader" as const)
      if (typeof input === "number" && Number.isInteger(input) && input >= 0) return ParseResult.succeed(input)
      return ParseResult.fail(
        new ParseResult.Type(ast, input, `expected leader or a replica index such as 0, got ${formatValue(input)}`)
      )
    },
    encode: (target) => ParseResult.succeed(target)
  }
)

const CloudErrorsFields = {
  kind: Schema.Literal("cloudErrors"),
  at: DurationMs,
  for: PositiveDuration,
  rate: Probability,
  error: Schema.Literal(...INJECTED_CLOUD_ERRORS),
  operations: Schema.optionalWith(CloudOperations, { exact: true, default: () => CLOUD_OPERATIONS })
}

const SlowProvisioningFields = {
  kind: Schema.Literal("slowProvisioning"),
  at: DurationMs,
  for: PositiveDuration,
  delay: DurationDistribution
}

const BootFailuresFields = { kind: Schema.Literal("bootFailures"), at: DurationMs, for: PositiveDuration, rate: Probability }

const ListLagFields = { kind: Schema.Literal("listLag"), at: DurationMs, for: PositiveDuration, lag: PositiveDuration }

const runnerFaultFields = <K extends string>(kind: K) => ({
  kind: Schema.Literal(kind),
  at: DurationMs,
  runners: RunnerCount,
  state: Schema.optionalWith(RunnerState, { exact: true })
})
const HeartbeatLossFields = runnerFaultFields("heartbeatLoss")
const InstanceUnhealthyFields = runnerFaultFields("instanceUnhealthy")

const AgentVersionBumpFields = {
  kind: Schema.Literal("agentVersionBump"),
  at: DurationMs,
  version: AgentVersion
}

const HangingRunsFields = { kind: Schema.Literal("hangingRuns"), at: DurationMs, for: PositiveDuration, rate: Probability }

const ReplicaCrashFields = { kind: Schema.Literal("replicaCrash"), at: DurationMs, replica: ReplicaTarget }
const ReplicaPauseFields = {
  kind: Schema.Literal("replicaPause"),
  at: DurationMs,
  for: PositiveDuration,
  replica: ReplicaTarget
}
const ControlPlaneOutageFields = {
  kind: Schema.Literal("controlPlaneOutage"),
  at: DurationMs,
  for: PositiveDuration,
  replica: ReplicaTarget
}

/**
 * Each cloud call (`operations`, all by default) made in [at, at + for)
 * fails with probability `rate`, with reason `error`.
 */
export const CloudErrorsFault = Schema.Struct(CloudErrorsFields).annotations(strictKeys)

/** Instances created in [at, at + for) take `delay` to provision instead of the cloud's provisioning delay. */
export const SlowProvisioningFault = Schema.Struct(SlowProvisioningFields).annotations(strictKeys)

/** Instances created in [at, at + for) also fail to boot with probability `rate`. */
export const BootFailuresFault = Schema.Struct(BootFailuresFields).annotations(strictKeys)

/** In [at, at + for) the cloud lists the instances as they were `lag` earlier. */
export const ListLagFault = Schema.Struct(ListLagFields).annotations(strictKeys)

/** At `at`, `runners` registered, untainted runners (of `state`, if given) stop heartbeating. */
export const HeartbeatLossFault = Schema.Struct(HeartbeatLossFields).annotations(strictKeys)

/** At `at`, the provider starts reporting the instances of `runners` registered, untainted runners unhealthy. */
export const InstanceUnhealthyFault = Schema.Struct(InstanceUnhealthyFields).annotations(strictKeys)

/** At `at`, the pool's `agentVersion` setting becomes `version`. */
export const AgentVersionBumpFault = Schema.Struct(AgentVersionBumpFields).annotations(strictKeys)

/** Each run acquired in [at, at + for) hangs with probability `rate`: it never completes on its own. */
export const HangingRunsFault = Schema.Struct(HangingRunsFields).annotations(strictKeys)

/** At `at`, the replica crashes. */
export const ReplicaCrashFault = Schema.Struct(ReplicaCrashFields).annotations(strictKeys)

/** In [at, at + for) the replica is paused: its process is stopped and its clock does not advance. */
export const ReplicaPauseFault = Schema.Struct(ReplicaPauseFields).annotations(strictKeys)

/** In [at, at + for) the replica cannot reach the control plane. */
export const ControlPlaneOutageFault = Schema.Struct(ControlPlaneOutageFields).annotations(strictKeys)

/** One fault of a scenario's `faults` list. */
export const Fault = Schema.Union(
  CloudErrorsFault,
  SlowProvisioningFault,
  BootFailuresFault,
  ListLagFault,
  HeartbeatLossFault,
  InstanceUnhealthyFault,
  AgentVersionBumpFault,
  HangingRunsFault,
  ReplicaCrashFault,
  ReplicaPauseFault,
  ControlPlaneOutageFault
).annotations({ identifier: "Fault" })

export type Fault = typeof Fault.Type
export type FaultKind = Fault["kind"]
export type FaultOf<K extends FaultKind> = Extract<Fault, { readonly kind: K }>

/**
 * The `faults` list of a scenario file. Durations decode to milliseconds
 * since the simulation start. Unknown keys and kinds are rejected.
 */
export const Faults = Schema.Array(Fault)

/** Valid keys of each fault kind, for messages that suggest the nearest key. */
export const FAULT_KEYS: Readonly<Record<FaultKind, ReadonlyArray<string>>> = {
  cloudErrors: Object.keys(CloudErrorsFields),
  slowProvisioning: Object.keys(SlowProvisioningFields),
  bootFailures: Object.keys(BootFailuresFields),
  listLag: Object.keys(ListLagFields),
  heartbeatLoss: Object.keys(HeartbeatLossFields),
  instanceUnhealthy: Object.keys(InstanceUnhealthyFields),
  agentVersionBump: Object.keys(AgentVersionBumpFields),
  hangingRuns: Object.keys(HangingRunsFields),
  replicaCrash: Object.keys(ReplicaCrashFields),
  replicaPause: Object.keys(ReplicaPauseFields),
  controlPlaneOutage: Object.keys(ControlPlaneOutageFields)
}

/** Fault kinds that act on pool replicas, which the replica supervisor injects. */
export const REPLICA_FAULT_KINDS = ["replicaCrash", "replicaPause", "controlPlaneOutage"] as const
export type ReplicaFault = FaultOf<(typeof REPLICA_FAULT_KINDS)[number]>

export const isReplicaFault = (fault: Fault): fault is ReplicaFault =>
  (REPLICA_FAULT_KINDS as ReadonlyArray<string>).includes(fault.kind)

/** A fault's span in virtual time, for shading timelines. Times are milliseconds since the simulation start. */
export interface FaultWindow {
  readonly kind: FaultKind
  readonly at: number
  /** End of the window, exclusive. Equal to `at` for a fault that happens at one instant. */
  readonly until: number
}

/** The end of a fault's window: `at + for` for a fault that lasts, `at` for one that happens at one instant. */
export const faultUntil = (fault: Fault): number => ("for" in fault ? fault.at + fault.for : fault.at)

/** Returns the window of each fault, in the order of the list. */
export const faultWindows = (faults: ReadonlyArray<Fault>): ReadonlyArray<FaultWindow> =>
  faults.map((fault) => ({ kind: fault.kind, at: fault.at, until: faultUntil(fault) }))
