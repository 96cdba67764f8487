#!/usr/bin/env node
// The CLI is written in TypeScript. `npm ci` prebuilds it into dist/ (scripts/build-cli.mjs, the
// prepare script); while that bundle is fresh it runs as is, else tsx compiles the sources on the fly,
// so `npx odooops` works right after `npm ci` and after any edit, with no build step to forget.
// ODOOOPS_FROM_SOURCE=1 always runs the sources.
import { freshBundle } from "./bundle.js";

const root = new URL("../", import.meta.url);
const bundle = process.env.ODOOOPS_FROM_SOURCE === "1" ? undefined : freshBundle(root);
let main;
if (bundle) ({ main } = await import(bundle.href));
else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
