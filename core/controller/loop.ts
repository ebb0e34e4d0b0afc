import { defaultReplicaSettings } from "../replicaSettings.js"
import { runReplica } from "./replica.js"

/**
 * The pool controller of a single-replica pool: one replica with the default
 * replica settings. With a lease that never expires it reconciles every
 * reconcile interval and never renews. Runs until interrupted, or returns
 * when the replica becomes Tainted.
 */
export const runController = runReplica("replica-0", defaultReplicaSettings())
