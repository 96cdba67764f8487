// Which code `odooops` runs: the prebuilt bundle in dist/ (plain JavaScript, ~3× cheaper to start than
// compiling the sources with tsx) when it is fresh, else the TypeScript sources. Fresh means every
// source file the bundle was built from is unchanged since the build (scripts/build-cli.mjs records
// them), so an edited file is never shadowed by a stale bundle. Plain JavaScript: it runs before tsx.
import { readFileSync, statSync } from "node:fs";

/** The bundle's entry if it is fresh, else undefined. */
export function freshBundle(root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL("dist/inputs.json", root), "utf8"));
  } catch {
    return undefined; // never built (e.g. installed without devDependencies), or being rebuilt
  }
  if (!Array.isArray(manifest.inputs) || typeof manifest.builtAt !== "number") return undefined;
  for (const input of manifest.inputs) {
    try {
      if (statSync(new URL(input, root)).mtimeMs > manifest.builtAt) return undefined;
    } catch {
      return undefined; // a source file was removed or renamed
    }
  }
  return new URL("dist/main.js", root);
}
