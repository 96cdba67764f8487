// Compiles the policy pack to the JavaScript entry the Pulumi CLI runs (policies/bin/index.cjs): the CLI
// loads a nodejs pack with require() from its directory, so the entry is one CommonJS file with our rules
// and their libraries inside. @pulumi/* stay outside: the analyzer and the pack must share one copy.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
export const POLICY_PACK_DIR = resolve(ROOT, "policies");
export const POLICY_PACK_ENTRY = resolve(POLICY_PACK_DIR, "bin/index.cjs");

export async function buildPolicyPack(outfile = POLICY_PACK_ENTRY): Promise<string> {
  await build({
    entryPoints: [resolve(POLICY_PACK_DIR, "index.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["@pulumi/*"],
    sourcemap: "linked",
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPolicyPack();
  console.log(`built ${out}`);
}
