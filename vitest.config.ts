import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/setup/classifier.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default on 2 cores is one worker; the test files are independent and mostly one thread each.
    maxWorkers: 2,
    // Test files run in parallel: one wasm thread each (tests/runtime/threads.test.ts sets its own).
    env: { GANC_THREADS: "1" },
  },
});
