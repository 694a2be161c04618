import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Starts a throwaway redis-server for the Redis store tests (skips them locally when missing; fails under CI=true).
    globalSetup: ["test/setup/redis-server.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
