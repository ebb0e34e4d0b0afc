/** Version of runner-pool that `--version` prints and that sweep journals record. */
export const VERSION = "0.1.0"
