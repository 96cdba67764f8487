import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The import rules of the layers (README "Architecture", model/<layer>/README.md): what may import
 * what. Read from the sources themselves, so a new file that breaks a rule fails here, not in review.
 */

type Layer = "vocabulary" | "input" | "plan" | "governance" | "data" | "rules";

/** model/<layer>/ may import these layers (and itself). */
const MODEL_LAYERS: Record<Layer, readonly Layer[]> = {
  vocabulary: ["vocabulary"],
  input: ["vocabulary", "input", "governance", "rules"],
  governance: ["vocabulary", "input", "governance"],
  data: ["vocabulary", "input", "data"],
  plan: ["vocabulary", "input", "governance", "data", "plan", "rules"],
  rules: ["vocabulary", "input", "governance", "data", "plan", "rules"],
};

/** model/ is pure: these packages only, never Pulumi, a database driver or a process. */
const MODEL_PACKAGES = new Set([
  "zod",
  "yaml",
  "croner",
  "ip-address",
  "node:crypto",
  "node:fs",
  "node:path",
]);

/** Top-level folders each code folder must not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  model: ["components", "policies", "cli", "agent", "controlplane", "index.ts"],
  components: ["policies", "cli", "agent", "controlplane"],
  policies: ["components", "cli", "agent", "controlplane"],
  controlplane: ["components", "policies", "cli", "agent"],
};
/** The agent's commands are CLI commands: they may use the CLI's leaf modules, never the CLI itself. */
const AGENT_MAY_IMPORT_FROM_CLI = new Set([
  "cli/context.ts",
  "cli/format.ts",
  "cli/io.ts",
  "cli/spawn.ts",
  "cli/worker-script.ts",
]);

interface Import {
  file: string;
  line: number;
  specifier: string;
  /** Repository path of a relative import, else undefined. */
  target: string | undefined;
}

function sources(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.includes("node_modules"))
    .map((f) => join(folder, f));
}

function importsOf(file: string): Import[] {
  const found: Import[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, index) => {
      for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)"([^"]+)"/g)) {
        const specifier = m[1] ?? "";
        const target = specifier.startsWith(".") ? normalize(join(dirname(file), specifier)) : undefined;
        found.push({ file, line: index + 1, specifier, target });
      }
    });
  return found;
}

function layerOf(modelPath: string): Layer {
  const parts = relative("model", modelPath).split("/");
  if (parts.length === 1) return "vocabulary";
  const folder = parts[0];
  if (folder === "schema") return "input";
  if (folder === "input" || folder === "plan" || folder === "governance" || folder === "data") return folder;
  if (folder === "rules") return "rules";
  throw new Error(`${modelPath}: model/${folder}/ is no layer; add it to MODEL_LAYERS and its README`);
}

const where = (i: Import) => `${i.file}:${i.line} imports ${i.specifier}`;

describe("layer import rules", () => {
  it("model/ imports only pure packages and nothing outside model/", () => {
    const bad = sources("model")
      .flatMap(importsOf)
      .filter((i) => (i.target ? !i.target.startsWith("model/") : !MODEL_PACKAGES.has(i.specifier)));
    expect(bad.map(where)).toEqual([]);
  });

  it("each layer of model/ imports only the layers its README allows", () => {
    // Until the vocabulary stands alone (model/<layer>/ holds code), the flat model/ has no layers yet.
    const layered = sources("model").some((f) => /^model\/(input|plan|governance|data)\//.test(f));
    const bad = sources("model")
      .flatMap(importsOf)
      .filter((i) => i.target?.startsWith("model/"))
      .filter((i) => {
        const from = layerOf(i.file);
        if (from === "vocabulary" && !layered) return false;
        return !MODEL_LAYERS[from].includes(layerOf(i.target ?? ""));
      });
    expect(bad.map((i) => `${where(i)} (${layerOf(i.file)} → ${layerOf(i.target ?? "")})`)).toEqual([]);
  });

  it("components, policies and the control plane import no layer above them", () => {
    const bad = Object.entries(FORBIDDEN).flatMap(([folder, forbidden]) =>
      sources(folder)
        .flatMap(importsOf)
        .filter((i) => i.target && forbidden.some((f) => i.target === f || i.target?.startsWith(`${f}/`))),
    );
    expect(bad.map(where)).toEqual([]);
  });

  it("agent/ imports the CLI's leaf modules only, so the CLI can import the agent's commands", () => {
    const bad = sources("agent")
      .flatMap(importsOf)
      .filter((i) => i.target?.startsWith("cli/") && !AGENT_MAY_IMPORT_FROM_CLI.has(i.target));
    expect(bad.map(where)).toEqual([]);
  });
});
