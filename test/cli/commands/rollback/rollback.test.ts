import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chooseRollbackTarget } from "../../../../cli/commands/rollback/select.ts";
import { runCli } from "../../../support/cli.ts";
import { digest, image, platformRepo, projectText } from "./support.ts";

describe("odooops rollback on a Git history of digest changes", () => {
  it("restores the previous distinct digest, changing only that value, and shows the plan", async () => {
    const { root, file, git } = platformRepo([image("a"), image("b"), image("c")]);
    // A commit that changes something else keeps the pin: it is not a release of its own.
    writeFileSync(file, projectText(image("c"), 6));
    git("commit", "-q", "-am", "more workers");
    const before = readFileSync(file, "utf8");

    const result = await runCli("rollback", "shop", "--root", root);

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const after = readFileSync(file, "utf8");
    expect(after).toBe(before.replace(digest("c"), digest("b")));
    expect(result.stdout).toContain(`restored to      ${image("b")}`);
    expect(result.stdout).toContain("pin 1");
    expect(result.stdout).toContain("stack prod");
    expect(result.stdout).toContain(`git switch -c rollback/shop-${digest("b").slice(0, 12)}`);
    expect(git("status", "--porcelain").trim()).toBe("M projects/shop.yaml");
  });

  it("rolls A → B → A back to B, the release before the one running", async () => {
    const { root, file } = platformRepo([image("a"), image("b"), image("a")]);
    expect((await runCli("rollback", "shop", "--root", root)).code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain(digest("b"));
  });

  it("restores an earlier digest named with --to, by prefix", async () => {
    const { root, file } = platformRepo([image("a"), image("b"), image("c")]);
    const result = await runCli(
      "rollback",
      "shop",
      "--root",
      root,
      "--to",
      `sha256:${digest("a").slice(0, 10)}`,
    );
    expect(result.code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain(digest("a"));
  });

  it("refuses when the history holds no earlier digest, and changes nothing", async () => {
    const { root, file } = platformRepo([image("a")]);
    const before = readFileSync(file, "utf8");
    const result = await runCli("rollback", "shop", "--root", root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no earlier production digest");
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("refuses a digest production never ran", async () => {
    const { root, file } = platformRepo([image("a"), image("b")]);
    const before = readFileSync(file, "utf8");
    const result = await runCli("rollback", "shop", "--root", root, "--to", digest("d"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("was never the production image");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("refuses a project file with uncommitted changes", async () => {
    const { root, file } = platformRepo([image("a"), image("b")]);
    writeFileSync(file, `${readFileSync(file, "utf8")}# work in progress\n`);
    const result = await runCli("rollback", "shop", "--root", root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("uncommitted changes");
    expect(readFileSync(file, "utf8")).toContain("# work in progress");
  });

  it("refuses an unknown project and a malformed --to", async () => {
    const { root } = platformRepo([image("a"), image("b")]);
    const unknown = await runCli("rollback", "nope", "--root", root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no project "nope"');
    const malformed = await runCli("rollback", "shop", "--root", root, "--to", "latest");
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("neither");
  });

  it("names the data agent restore step with --restore-db", async () => {
    const { root } = platformRepo([image("a"), image("b")]);
    const result = await runCli(
      "rollback",
      "shop",
      "--root",
      root,
      "--restore-db",
      "shop/2026-11-20T02-00-00Z.zip",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "odooops agent restore --backup shop/2026-11-20T02-00-00Z.zip --db-url-env ODOOOPS_DB_URL --target-db shop --force-disconnect",
    );
    const refused = await runCli("rollback", "shop", "--root", root, "--restore-db", "x; rm -rf /");
    expect(refused.code).toBe(2);
  });
});

describe("rollback target selection", () => {
  const entry = (c: string | undefined, n: number) => ({
    commit: `${n}`.repeat(40).slice(0, 40),
    date: "2026-11-01T00:00:00Z",
    subject: `pin ${n}`,
    image: c === undefined ? undefined : image(c),
  });

  it("skips commits whose file did not parse or pinned by tag", () => {
    const history = [
      entry("c", 3),
      entry(undefined, 2),
      { ...entry("b", 1), image: "ghcr.io/acme/shop:latest" },
      entry("a", 0),
    ];
    const target = chooseRollbackTarget(history, image("c"), "previous", "projects/shop.yaml");
    expect(target).toMatchObject({ ok: true, image: image("a") });
  });

  it("refuses an ambiguous prefix and accepts a longer one", () => {
    const pin = (n: number, hex: string) => ({ ...entry("a", n), image: `ghcr.io/acme/shop@sha256:${hex}` });
    const history = [entry("c", 2), pin(1, `abcdef1${"0".repeat(57)}`), pin(0, `abcdef1${"1".repeat(57)}`)];
    const ambiguous = chooseRollbackTarget(history, image("c"), "abcdef1", "projects/shop.yaml");
    expect(ambiguous).toMatchObject({ ok: false, reason: expect.stringContaining("matches 2 digests") });
    const exact = chooseRollbackTarget(history, image("c"), "abcdef11", "projects/shop.yaml");
    expect(exact).toMatchObject({ ok: true, image: `ghcr.io/acme/shop@sha256:abcdef1${"1".repeat(57)}` });
  });
});
