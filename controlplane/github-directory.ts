import { readFileSync } from "node:fs";
import { z } from "zod";
import { githubTeam, githubUser } from "../model/input/schema/primitives.ts";

/**
 * Who a GitHub login is. projects/*.yaml names people by login, but members are keyed by GitHub user id:
 * a login can be renamed, and a freed login taken by someone else. `undefined` means "no such user/team".
 */
export interface GithubAccount {
  id: number;
  login: string;
}

export interface GithubDirectory {
  user(login: string): Promise<GithubAccount | undefined>;
  teamMembers(org: string, team: string): Promise<GithubAccount[] | undefined>;
}

/** The REST API with a token (`GITHUB_TOKEN`): read:org is enough for team members. */
export function githubApiDirectory(
  token: string,
  fetcher: typeof fetch = fetch,
  baseUrl = "https://api.github.com",
): GithubDirectory {
  const get = async (path: string): Promise<unknown> => {
    const response = await fetcher(`${baseUrl}${path}`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
      },
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GitHub API ${path}: HTTP ${response.status}`);
    return response.json();
  };
  const account = z.object({ id: z.int().positive(), login: z.string() });
  return {
    async user(login) {
      const found = await get(`/users/${encodeURIComponent(login)}`);
      return found === undefined ? undefined : account.parse(found);
    },
    async teamMembers(org, team) {
      const members: GithubAccount[] = [];
      for (let page = 1; page <= 50; page++) {
        const path = `/orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(team)}/members?per_page=100&page=${page}`;
        const found = await get(path);
        if (found === undefined) return page === 1 ? undefined : members;
        const batch = account.array().parse(found);
        members.push(...batch);
        if (batch.length < 100) break;
      }
      return members;
    },
  };
}

/**
 * An explicit login → id map (and team → logins), for a local control plane or a run without a token:
 * `{ "users": { "qa-ana": 1042 }, "teams": { "acme-devs": ["dev-dan"] } }`. Ids are GitHub's numeric user
 * ids (`gh api users/<login> --jq .id`).
 */
export const identitiesFileSchema = z.strictObject({
  users: z.record(githubUser, z.int().positive()),
  teams: z.record(githubTeam, z.array(githubUser)).default({}),
});

export function mappedDirectory(map: z.output<typeof identitiesFileSchema>): GithubDirectory {
  const byLogin = new Map(
    Object.entries(map.users).map(([login, id]) => [login.toLowerCase(), { id, login }]),
  );
  const user = async (login: string) => byLogin.get(login.toLowerCase());
  return {
    user,
    async teamMembers(_org, team) {
      const logins = map.teams[team];
      if (!logins) return undefined;
      const accounts = await Promise.all(logins.map(user));
      const unknown = logins.filter((_, i) => !accounts[i]);
      if (unknown.length > 0)
        throw new Error(`team ${team} lists ${unknown.join(", ")}, who have no id under users`);
      return accounts.filter((a): a is GithubAccount => a !== undefined);
    },
  };
}

export function readIdentitiesFile(file: string): GithubDirectory {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const parsed = identitiesFileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".") || "(top)"}: ${issue?.message ?? "invalid"}`);
  }
  return mappedDirectory(parsed.data);
}
