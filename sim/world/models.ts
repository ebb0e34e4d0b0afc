import type { Distribution } from "../distribution.js"

/** Behaviour of the simulated cloud. Durations are in milliseconds. */
export interface CloudModel {
  /** Time from the provision call until the VM or container runs. */
  readonly provisioningDelay: Distribution
  /** Time the startup script takes; part of Provisioning. */
  readonly startupScriptDuration: Distribution
  /** Time from the terminate call until the instance is gone and stops costing. */
  readonly deletionDelay: Distribution
  /** Probability in [0, 1] that an instance fails to boot; the provider then reports it unhealthy. */
  readonly bootFailureRate: number
  /** Price of one runner-hour, in the scenario's currency. */
  readonly costPerRunnerHour: number
}

/** Behaviour of the simulated runner agents. Durations are in milliseconds. */
export interface RunnerModel {
  /** Time between two polls of an Idle agent for a run; 0 means an Idle agent acquires a queued run at once. */
  readonly pollIntervalMs: number
  /** Time between two heartbeats of an agent. */
  readonly heartbeatIntervalMs: number
}

export const defaultCloudModel: CloudModel = {
  provisioningDelay: { kind: "constant", value: 60_000 },
  startupScriptDuration: { kind: "constant", value: 0 },
  deletionDelay: { kind: "constant", value: 30_000 },
  bootFailureRate: 0,
  costPerRunnerHour: 0
}

export const defaultRunnerModel: RunnerModel = { pollIntervalMs: 0, heartbeatIntervalMs: 30_000 }
