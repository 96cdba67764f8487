import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * In a fresh process (the SDK must not be loaded yet): with TypeScript deferred, loading the SDK leaves
 * the compiler unloaded, and the closure serializer, the one part of the SDK that uses it, still works
 * and then loads it. Without the deferral the SDK loads it at once (the check fails if the stand-in
 * stops being used, e.g. an SDK upgrade renames typescript-shim.js).
 */
const SCRIPT = `
import { createRequire } from "node:module";
import { deferTypeScript } from "./cli/commands/plan/defer-typescript.ts";
const require = createRequire(import.meta.url);
const compilerLoaded = () => Object.keys(require.cache).some((f) => /[\\\\/]typescript\\.js$/.test(f));
if (process.argv.at(-1) === "defer") deferTypeScript();
const pulumi = await import("@pulumi/pulumi");
const afterLoad = compilerLoaded();
const factor = 6;
const serialized = await pulumi.runtime.serializeFunction(() => (x) => x * factor);
console.log(JSON.stringify({ afterLoad, serialized: serialized.text.includes("factor"), afterSerialize: compilerLoaded() }));
`;

function run(mode: "defer" | "eager"): { afterLoad: boolean; serialized: boolean; afterSerialize: boolean } {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SCRIPT, mode], {
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

describe("deferTypeScript", () => {
  it("keeps the compiler out of the SDK's load and loads it when a closure is serialized", () => {
    expect(run("eager")).toEqual({ afterLoad: true, serialized: true, afterSerialize: true });
    expect(run("defer")).toEqual({ afterLoad: false, serialized: true, afterSerialize: true });
  }, 60_000);
});
