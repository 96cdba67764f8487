import { describe, expect, it } from "vitest";
import { githubApiDirectory, mappedDirectory } from "../../controlplane/github-directory.ts";

/**
 * The GitHub API is never called from tests (no network, no sanctioned stand-in outside Pulumi): this
 * fake answers as the REST API documents, so the request shape, 404 handling and paging are checked.
 */
function fakeGithub(users: Record<string, number>, teams: Record<string, string[]>) {
  const requests: { url: string; auth: string | null }[] = [];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
  const fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    requests.push({ url: url.pathname + url.search, auth: new Headers(init?.headers).get("authorization") });
    const user = /^\/users\/([^/]+)$/.exec(url.pathname);
    if (user) {
      const id = users[decodeURIComponent(user[1] ?? "")];
      return id ? json({ id, login: user[1] }) : json({ message: "Not Found" }, 404);
    }
    const team = /^\/orgs\/acme\/teams\/([^/]+)\/members$/.exec(url.pathname);
    const logins = team ? teams[team[1] ?? ""] : undefined;
    if (!logins) return json({ message: "Not Found" }, 404);
    const page = Number(url.searchParams.get("page"));
    const slice = logins.slice((page - 1) * 100, page * 100);
    return json(slice.map((login) => ({ id: users[login], login })));
  }) as typeof fetch;
  return { fetcher, requests };
}

describe("GitHub directory", () => {
  const users = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`dev-${i}`, 1000 + i]));
  const { fetcher, requests } = fakeGithub(users, { devs: Object.keys(users) });
  const api = githubApiDirectory("t0ken", fetcher, "https://api.github.test");

  it("resolves a login to its numeric id with the token, and an unknown login to nothing", async () => {
    expect(await api.user("dev-7")).toEqual({ id: 1007, login: "dev-7" });
    expect(await api.user("nobody-here")).toBeUndefined();
    expect(requests[0]).toEqual({ url: "/users/dev-7", auth: "Bearer t0ken" });
  });

  it("reads every page of a team's members, and an unknown team as nothing", async () => {
    const members = await api.teamMembers("acme", "devs");
    expect(members).toHaveLength(130);
    expect(members?.at(-1)).toEqual({ id: 1129, login: "dev-129" });
    expect(await api.teamMembers("acme", "ghosts")).toBeUndefined();
  });

  it("an explicit map matches logins case-insensitively and names team members without an id", async () => {
    const map = mappedDirectory({ users: { "QA-Ana": 7 }, teams: { qa: ["qa-ana", "qa-bob"] } });
    expect(await map.user("qa-ana")).toEqual({ id: 7, login: "QA-Ana" });
    await expect(map.teamMembers("acme", "qa")).rejects.toThrow(
      "team qa lists qa-bob, who have no id under users",
    );
  });
});
