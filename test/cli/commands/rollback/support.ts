import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const digest = (c: string) => c.repeat(64);
export const image = (c: string) => `ghcr.io/acme/shop@sha256:${digest(c)}`;

/** The project file as a person writes it: comments, flow maps, quoting that must survive a rollback. */
export function projectText(pinned: string, workers = 4): string {
  return [
    "# yaml-language-server: $schema=./schema.json",
    "name: shop # the webshop",
    "repo: acme/shop",
    "environments:",
    "  production:",
    `    workers: ${workers}`,
    "    # promoted by PR; rolled back with odooops rollback",
    `    image: "${pinned}"`,
    "    database: { size: db-s-1vcpu-2gb, nodes: 1 }",
    "personas:",
    "  release_manager: { users: [rm-ben] }",
    "",
  ].join("\n");
}

/** A platform repository in a temporary directory whose history pins `pins` one commit at a time. */
export function platformRepo(pins: readonly string[]): {
  root: string;
  file: string;
  git: (...args: string[]) => string;
} {
  const root = mkdtempSync(join(tmpdir(), "odooops-rollback-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", root, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.invalid",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.invalid",
      },
    });
  mkdirSync(join(root, "projects"));
  writeFileSync(
    join(root, "Pulumi.prod.yaml"),
    "config:\n  odooops:stages: [production]\n  odooops:platformDomain: odooops.example\n  odooops:region: sgp1\n  odooops:catalog: catalog.json\n",
  );
  const releases = ["a", "b", "c", "d"].map((c) => ({
    id: `r-${c}`,
    image: image(c),
    passed: ["G1", "G2", "G3", "G4"],
  }));
  writeFileSync(join(root, "catalog.json"), JSON.stringify({ projects: { shop: { releases } } }));
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "platform");
  const file = join(root, "projects", "shop.yaml");
  pins.forEach((pin, index) => {
    writeFileSync(file, projectText(pin));
    git("add", ".");
    git("commit", "-q", "-m", `pin ${index}`);
  });
  return { root, file, git };
}
