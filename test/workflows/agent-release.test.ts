import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AGENT_IMAGE_REPOSITORY } from "../../model/plan/platform-images.ts";
import { platform, type Step, triggers } from "./support.ts";

const release = platform("agent-release.yml");
const stepsOf = (job: string) => (release.jobs[job]!.steps ?? []) as (Step & { id?: string })[];
const expr = (text: string) => `\${{ ${text} }}`;

describe("agent release workflow", () => {
  it("releases from main (or by hand), never from a pull request, and not again for its own pin", () => {
    expect(triggers(release).sort()).toEqual(["push", "workflow_dispatch"]);
    const push = release.on.push as { branches: string[]; paths: string[] };
    expect(push.branches).toEqual(["main"]);
    expect(push.paths).toEqual(
      expect.arrayContaining(["Dockerfile", "agent/**", "!model/plan/platform-images.ts"]),
    );
    expect(push.paths.indexOf("!model/plan/platform-images.ts")).toBeGreaterThan(
      push.paths.indexOf("model/**"),
    );
    expect(release.text).toContain(`IMAGE: ${AGENT_IMAGE_REPOSITORY}\n`);
  });

  it("builds once, tests the pushed digest inside the image, attests it, then tags it", () => {
    const steps = stepsOf("release");
    const builds = steps.filter((s) => s.uses?.startsWith("docker/build-push-action@"));
    expect(builds).toHaveLength(1);
    expect(builds[0]!.with).toMatchObject({ push: true, sbom: true, provenance: "mode=max" });
    const index = (id: string) => steps.findIndex((s) => s.id === id);
    const attest = steps.findIndex((s) => s.uses?.startsWith("actions/attest-build-provenance@"));
    const tag = steps.findIndex((s) => s.run?.includes("--preserve-digests"));
    expect(index("tests")).toBeGreaterThan(index("build"));
    expect(attest).toBeGreaterThan(index("tests"));
    expect(tag).toBeGreaterThan(attest);
    const tests = steps[index("tests")]!;
    expect(tests.env?.DIGEST).toBe(expr("steps.build.outputs.digest"));
    expect(tests.run).toContain(
      'ODOOOPS_AGENT_IMAGE="$IMAGE@$DIGEST" npx vitest run test/image/agent-image.test.ts',
    );
    expect(steps[attest]!.with).toMatchObject({
      "subject-digest": expr("steps.build.outputs.digest"),
      "push-to-registry": true,
    });
    expect(release.jobs.release).toMatchObject({ outputs: { digest: expr("steps.build.outputs.digest") } });
  });

  it("opens a pull request with the digest the release job pushed, rewritten by the pin script", () => {
    const pin = release.jobs.pin!;
    expect(pin.needs).toBe("release");
    const [, run] = stepsOf("pin");
    expect(run!.env?.DIGEST).toBe(expr("needs.release.outputs.digest"));
    expect(run!.run).toContain('scripts/pin-agent-image.sh "$DIGEST"');
    expect(run!.run).toContain("gh pr create --base main");
    expect(run!.run).not.toMatch(/push origin (main|HEAD:main)/);
  });
});

describe("scripts/pin-agent-image.sh", () => {
  const dir = mkdtempSync(join(tmpdir(), "odooops-pin-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pin = (digest: string, file: string) =>
    spawnSync("scripts/pin-agent-image.sh", [digest, file], { encoding: "utf8" });
  const copy = (name: string) => {
    const file = join(dir, name);
    copyFileSync("model/plan/platform-images.ts", file);
    return file;
  };

  it("pins the digest in the one line that holds it, leaving a file that compiles, lints and re-pins", async () => {
    const file = copy("pinned.ts");
    const first = `sha256:${"ab".repeat(32)}`;
    const second = `sha256:${"cd".repeat(32)}`;
    expect(pin(first, file).status).toBe(0);
    expect(pin(second, file).status).toBe(0);
    const pinned = readFileSync(file, "utf8");
    const original = readFileSync("model/plan/platform-images.ts", "utf8");
    const changed = pinned.split("\n").filter((line, i) => line !== original.split("\n")[i]);
    expect(changed).toEqual([`const releasedDigest: Digest = "${second}";`]);
    const module = (await import(file)) as typeof import("../../model/plan/platform-images.ts");
    expect(module.AGENT_IMAGE_DIGEST).toBe(second);
    expect(module.PLATFORM_IMAGES.agent).toBe(`${AGENT_IMAGE_REPOSITORY}@${second}`);
    const formatted = execFileSync(
      "npx",
      ["biome", "check", "--write", "--stdin-file-path=model/plan/platform-images.ts"],
      {
        input: pinned,
        encoding: "utf8",
      },
    );
    expect(formatted).toBe(pinned);
  });

  it("refuses anything but a sha256 digest, and a file without exactly one digest line", () => {
    const file = copy("refused.ts");
    for (const bad of [
      "latest",
      `sha256:${"A".repeat(64)}`,
      `sha256:${"a".repeat(63)}`,
      `sha256:${"a".repeat(64)}";x`,
    ]) {
      const result = pin(bad, file);
      expect(result.status, bad).toBe(2);
      expect(result.stderr).toContain("is not a sha256 manifest digest");
    }
    expect(readFileSync(file, "utf8")).toBe(readFileSync("model/plan/platform-images.ts", "utf8"));
    const result = pin(`sha256:${"a".repeat(64)}`, "package.json");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("package.json has 0 releasedDigest lines, expected exactly 1");
  });
});
