// ESLint flat config: eslint's and typescript-eslint's recommended rules (no type
// information, so lint stays fast), plus determinism rules for core/ and sim/.
import js from "@eslint/js"
import { defineConfig, globalIgnores } from "eslint/config"
import tseslint from "typescript-eslint"

const deterministicFiles = ["core/**", "sim/**"]

const useClock =
  "Ambient time breaks deterministic runs. Read the time from the Effect Clock (Clock.currentTimeMillis) or wait with Effect.sleep."
const useRandom =
  "Ambient randomness breaks deterministic runs. Draw from the seeded random streams (makeStreams in sim/random.ts) instead."
const useLog = "Log through Effect.log (or Effect.logDebug, Effect.logWarning) so that tests can replace the logger."

const timerMessage = (name) =>
  `${name} waits on the host clock and breaks deterministic runs. Wait with Effect.sleep or a Schedule, which use the Effect Clock.`

const timerNames = ["setTimeout", "setInterval", "setImmediate"]

export default defineConfig([
  globalIgnores(["dist/", "node_modules/", "out/", "tmp/", "coverage/"]),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
    },
  },

  {
    files: deterministicFiles,
    rules: {
      "no-restricted-globals": [
        "error",
        ...timerNames.map((name) => ({ name, message: timerMessage(name) })),
        { name: "console", message: useLog },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: useClock },
        { object: "performance", property: "now", message: useClock },
        { object: "globalThis", property: "performance", message: useClock },
        { object: "process", property: "hrtime", message: useClock },
        { object: "Math", property: "random", message: useRandom },
        { object: "crypto", property: "getRandomValues", message: useRandom },
        { object: "crypto", property: "randomUUID", message: useRandom },
        { object: "globalThis", property: "crypto", message: useRandom },
        { object: "globalThis", property: "Date", message: useClock },
        ...timerNames.map((property) => ({ object: "globalThis", property, message: timerMessage(property) })),
        { object: "globalThis", property: "console", message: useLog },
      ],
      "no-restricted-syntax": [
        "error",
        // `new Date(x)` with an argument is pure, but every `new Date` is banned so
        // that a dropped argument cannot slip through review.
        {
          selector: "NewExpression[callee.name='Date']",
          message: `new Date is banned here because without an argument it reads the host clock. ${useClock}`,
        },
        // `Date()` without `new` returns the current time as a string.
        { selector: "CallExpression[callee.name='Date']", message: `Date() returns the host time. ${useClock}` },
      ],
    },
  },
])
