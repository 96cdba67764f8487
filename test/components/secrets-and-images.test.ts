import { describe, expect, it } from "vitest";
import { runPlan } from "../../cli/commands/plan/plan.ts";
import { renderJson } from "../../cli/commands/plan/render/json.ts";
import { renderMarkdown } from "../../cli/commands/plan/render/markdown.ts";
import { renderText } from "../../cli/commands/plan/render/text.ts";
import { DEPLOY_KEY_PLACEHOLDER } from "../../components/platform.ts";
import {
  AGENT_IMAGE_DIGEST,
  isPinnedByDigest,
  UNRELEASED_AGENT_IMAGE,
} from "../../model/plan/platform-images.ts";
import { catalog, plan, projectYaml, run } from "./support.ts";

const FULL = projectYaml("acme", "  staging: { clone: { strategy: dump } }\n");
const LIVE = catalog("acme", [
  ["release/v2", "b-2"],
  ["feature/login", "b-3"],
]);

describe("images", () => {
  it.each(["staging", "prod"] as const)(
    "are pulled by digest and run as pulled (%s stack)",
    async (stack) => {
      const graph = await run(plan(FULL, LIVE, stack));
      const images = graph.ofType("docker:index/remoteImage:RemoteImage");
      expect(images.length).toBeGreaterThanOrEqual(3);
      for (const image of images) {
        // Until the first agent release the agent runs under the unreleased marker, which the
        // agent-image-released advisory reports and `pulumi up` refuses.
        if (image.inputs.name === UNRELEASED_AGENT_IMAGE) expect(AGENT_IMAGE_DIGEST, image.name).toBeNull();
        else expect(isPinnedByDigest(String(image.inputs.name)), image.name).toBe(true);
      }
      const pulled = new Set(images.map((i) => i.inputs.name));
      for (const c of graph.ofType("docker:index/container:Container"))
        expect(pulled.has(c.inputs.image), c.name).toBe(true);
    },
  );
});

describe("secrets", () => {
  it("every generated password, database credential and key travels as a secret", async () => {
    const graph = await run(plan(FULL, LIVE, "staging"));
    const passwords = graph.ofType("random:index/randomPassword:RandomPassword");
    expect(passwords.length).toBeGreaterThan(0);
    for (const c of graph.ofType("command:remote:Command"))
      expect(c.secretPaths, c.name).toEqual(
        expect.arrayContaining(["connection", ...(c.inputs.environment ? ["environment"] : [])]),
      );
    for (const c of graph
      .ofType("docker:index/container:Container")
      .filter((x) => x.name.endsWith("-odoo-container")))
      expect(c.secretPaths).toContain("uploads[0].content");
  });

  it("never appear in the printed plan, in any format", async () => {
    const outcome = await runPlan({
      root: ".",
      files: ["examples/projects/acme-erp.yaml", "examples/projects/hello.yaml"],
      stacks: ["staging", "prod"],
      catalogFile: "examples/catalog.example.json",
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    // Every secret the mock cloud hands out carries one of these markers (cli/commands/plan/mock-outputs.ts).
    const markers = [
      "mock-password-",
      "mock-db-password-",
      "mock-user-password-",
      "mock-secret-key-",
      "mock-reader-",
      DEPLOY_KEY_PLACEHOLDER,
    ];
    for (const render of [renderJson, renderText, renderMarkdown]) {
      const text = render(outcome.report);
      for (const marker of markers)
        expect(text.includes(marker), `${render.name} prints ${marker}`).toBe(false);
    }
    expect(renderJson(outcome.report)).toContain("[secret]");
  });
});
