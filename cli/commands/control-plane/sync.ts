import { execFileSync } from "node:child_process";
import type { Command } from "commander";
import { z } from "zod";
import {
  type GithubDirectory,
  githubApiDirectory,
  readIdentitiesFile,
} from "../../../controlplane/github-directory.ts";
import { projectSyncInputs } from "../../../controlplane/project-sync.ts";
import type { ProjectSyncResult } from "../../../controlplane/sync-records.ts";
import { listProjectFiles, loadProjects } from "../../../model/input/loader.ts";
import type { CommandContext } from "../../context.ts";
import { UsageError } from "../../io.ts";
import { printProblems } from "../validate/command.ts";
import { parseInput, runWithControlPlane } from "./session.ts";

const commitId = z.string().regex(/^[0-9a-f]{7,40}$/, { error: "must be a Git commit id (7–40 hex digits)" });

/** The commit the project files come from: --commit, CI's GITHUB_SHA, else the checkout's HEAD. */
function currentCommit(given: string | undefined): string {
  const commit =
    given ??
    process.env.GITHUB_SHA ??
    (() => {
      try {
        return execFileSync("git", ["rev-parse", "HEAD"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"], // git's own "fatal: …" would be a second line
        }).trim();
      } catch {
        throw new UsageError("not in a Git checkout: pass --commit <sha>");
      }
    })();
  return parseInput(commitId, commit, "--commit");
}

/** GITHUB_TOKEN resolves logins through the API; --identities names an explicit login → id map. */
function directoryFor(identities: string | undefined): GithubDirectory {
  if (identities) {
    try {
      return readIdentitiesFile(identities);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const token = process.env.GITHUB_TOKEN;
  if (token) return githubApiDirectory(token);
  throw new UsageError(
    "members are keyed by GitHub user id: set GITHUB_TOKEN to resolve logins, or pass --identities <file>",
  );
}

function renderSync(results: ProjectSyncResult[], commit: string): string {
  const lines = results.map((r) => {
    const parts = [
      r.added.length ? `added ${r.added.join(", ")}` : "",
      r.removed.length ? `removed ${r.removed.join(", ")}` : "",
      r.changed.length ? `changed ${r.changed.join(", ")}` : "",
    ].filter(Boolean);
    return `${r.project}: ${parts.join("; ") || "members unchanged"}`;
  });
  return [...lines, `synced ${results.length} project(s) from commit ${commit.slice(0, 12)}`].join("\n");
}

export function registerSync(group: Command, context: CommandContext): void {
  group
    .command("sync")
    .description(
      "Register every project, its branch rules and members (personas) from project files, in one transaction (service role)",
    )
    .option("--projects <dir>", "directory of project files", "projects")
    .option("--commit <sha>", "commit the files come from (default: GITHUB_SHA, else git HEAD)")
    .option("--identities <file>", "JSON map of GitHub logins to user ids (instead of GITHUB_TOKEN)")
    .action(async (options: { projects: string; commit?: string; identities?: string }) => {
      const commit = currentCommit(options.commit);
      const loaded = loadProjects(listProjectFiles(options.projects));
      const directory = directoryFor(options.identities);
      let resolved: Awaited<ReturnType<typeof projectSyncInputs>>;
      try {
        resolved = await projectSyncInputs(loaded.projects, directory);
      } catch (error) {
        throw new UsageError(`resolving GitHub identities: ${(error as Error).message}`);
      }
      const problems = [...loaded.problems, ...resolved.problems];
      if (problems.length > 0) {
        printProblems(context, problems);
        context.exit.code = 2;
        return;
      }
      await runWithControlPlane(
        context,
        {},
        (cp) => cp.syncProjects({ projects: resolved.inputs, commit }),
        (results) => renderSync(results, commit),
      );
    });
}
