// Prebuilds the CLI into dist/ (run by `npm ci` as the prepare script, or `npm run build:cli`): one
// ESM bundle with code splitting, so what a command imports lazily (the Pulumi SDK for plan, the
// agent's subcommands) stays out of start-up, and packages left as imports but for the few every command needs. bin/bundle.js runs it only
// while every file listed in dist/inputs.json is older than the build.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.error("esbuild is not installed (no devDependencies): odooops runs from its TypeScript sources");
  process.exit(0);
}
// Packages stay imports, except the few every command loads at start (zod's ~95 modules, and the
// CommonJS files of ip-address, cost more to resolve and load one by one than to read as one file).
const INLINED = new Set(["zod", "yaml", "commander", "ip-address", "croner"]);
const { dependencies } = JSON.parse(readFileSync("package.json", "utf8"));
const external = Object.keys(dependencies)
  .filter((name) => !INLINED.has(name))
  .flatMap((name) => [name, `${name}/*`]);
// zod's namespace (`z`) re-exports all its translations of error messages (z.locales, ~360 kB: half of
// zod); odooops uses the default, English, which zod's schemas import themselves. The bundle keeps only
// that one: less to read and compile at every start.
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
  },
};
const builtAt = Date.now();
const staging = mkdtempSync("dist-");
try {
  const result = await esbuild.build({
    entryPoints: {
      main: "cli/main.ts",
      "plan-worker": "cli/commands/plan/plan-worker.ts",
      "values-worker": "agent/mask/values-worker.ts",
    },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external,
    // yaml is CommonJS on Node: its require() of Node's built-ins needs a real require in an ES module.
    banner: {
      js: 'import { createRequire as __odooopsRequire } from "node:module"; const require = __odooopsRequire(import.meta.url);',
    },
    plugins: [zodEnglishOnly],
    outdir: staging,
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  // Written before the move: the bundle is never visible without the list that says when it is stale.
  writeFileSync(join(staging, "inputs.json"), JSON.stringify({ builtAt, inputs }));
  rmSync("dist", { recursive: true, force: true });
  renameSync(staging, "dist");
} finally {
  rmSync(staging, { recursive: true, force: true });
}
