import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "supabase/tests/**/*.test.ts"],
    // The image and host bring-up tests need a Docker engine (scripts/ensure-docker.sh) and minutes of image
    // builds: `npm run test:image` runs them, after `npm test` in .ci/run (README, "Running the image tests").
    exclude: [...configDefaults.exclude, ...(process.env.ODOOOPS_IMAGE_TESTS ? [] : ["test/image/**"])],
    globalSetup: ["test/support/global-setup.ts"],
    // Pulumi's mock runtime keeps global state: each test file runs in its own process.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
