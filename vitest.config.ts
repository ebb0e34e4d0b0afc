import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Simulation runs and browser-rendered reports can take seconds each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Child processes rather than worker threads, because the Vitest 3 docs (config
    // "pool") warn that native libraries such as canvas can segfault in threads.
    pool: "forks",
  },
})
