import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "supabase/tests/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Pulumi's mock runtime keeps global state: each test file runs in its own process.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
