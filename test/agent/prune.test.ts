import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newestBackup } from "../../agent/storage/backups.ts";
import { openStore } from "../../agent/storage/open.ts";
import { backupName } from "../../model/data/backup-record.ts";
import { agent, type S3Server, s3Server, tempDir } from "./support.ts";

let s3: S3Server;
beforeAll(async () => {
  s3 = await s3Server("prune-tests");
});
afterAll(async () => s3.close());

/** Stores backups (zip + record) of `database` at the given times; `zipOnly` leaves the record out. */
async function seed(
  location: string,
  database: string,
  times: string[],
  zipOnly: string[] = [],
): Promise<string[]> {
  const store = await openStore(location);
  const names: string[] = [];
  for (const time of [...times, ...zipOnly]) {
    const name = backupName(database, new Date(time), "scheduled");
    names.push(name);
    await store.upload(`${name}.zip`, Readable.from([Buffer.from("zip")]));
    if (!zipOnly.includes(time)) await store.putText(`${name}.json`, "{}");
  }
  return names;
}

const days = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(`${from}T02:00:00Z`) + i * 86_400_000).toISOString(),
  );

describe("prune", () => {
  it("counts no backup dated in the future, so planted ones neither push real ones out nor get loaded", async () => {
    const location = s3.location("future/");
    const real = await seed(location, "acme", days("2026-01-01", 20));
    const planted = await seed(location, "acme", days("2099-12-01", 7));
    const run = await agent("prune", "--location", location, "--json");
    expect(run.code).toBe(0);
    const { decisions } = JSON.parse(run.out) as {
      decisions: { name: string; action: string; reasons: string[] }[];
    };
    const action = (name: string) => decisions.find((d) => d.name === name)!;
    for (const name of planted)
      expect(action(name)).toMatchObject({
        action: "keep",
        reasons: [expect.stringMatching(/dated in the future/)],
      });
    // The real series is pruned as if the planted backups were not there: its newest seven days stay.
    for (const name of real.slice(-7)) expect(action(name).action).toBe("keep");
    const store = await openStore(location);
    expect((await newestBackup(store, "acme")).name).toBe(real.at(-1));
  });

  it("--dry-run prints keep or forget with the reason for each backup and deletes nothing", async () => {
    const location = s3.location("dry/");
    await seed(location, "acme", days("2026-01-01", 20));
    const run = await agent("prune", "--location", location, "--dry-run");
    expect(run.code).toBe(0);
    const lines = run.out.trim().split("\n");
    expect(lines).toContain(
      "keep   acme/20260120T020000Z-scheduled  daily 2026-01-20; weekly 2026-W04; monthly 2026-01",
    );
    expect(lines).toContain("keep   acme/20260104T020000Z-scheduled  weekly 2026-W01");
    expect(lines).toContain(
      "forget acme/20260105T020000Z-scheduled  daily: only the 7 newest days are kept; weekly: 2026-W02 is kept as acme/20260111T020000Z-scheduled; monthly: 2026-01 is kept as acme/20260120T020000Z-scheduled",
    );
    // restic keeps the oldest backup too while a rule (here monthly) still has counts left.
    expect(lines).toContain(
      "keep   acme/20260101T020000Z-scheduled  monthly oldest snapshot, kept while monthly counts remain",
    );
    expect(lines.at(-1)).toBe("10 kept, 10 would be forgotten (dry run)");
    expect((await (await openStore(location)).list()).length).toBe(40);
  });

  it("deletes what the policy forgets, zip and record, per database", async () => {
    const location = s3.location("real/");
    await seed(location, "acme", days("2026-01-01", 20));
    await seed(location, "other", days("2026-01-15", 3));
    const run = await agent(
      "prune",
      "--location",
      location,
      "--keep-daily",
      "7",
      "--keep-weekly",
      "4",
      "--keep-monthly",
      "3",
      "--json",
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).deletedObjects).toBe(20);
    const left = (await (await openStore(location)).list())
      .map((o) => o.name)
      .filter((n) => n.endsWith(".zip"));
    expect(left.filter((n) => n.startsWith("other/"))).toHaveLength(3);
    expect(left.filter((n) => n.startsWith("acme/")).sort()).toEqual(
      ["01", "04", "11", "14", "15", "16", "17", "18", "19", "20"].map(
        (d) => `acme/202601${d}T020000Z-scheduled.zip`,
      ),
    );
  });

  it("removes unfinished uploads older than a day and leaves recent ones alone", async () => {
    const dir = tempDir("prune-dir");
    try {
      const recent = new Date(Date.now() - 3_600_000).toISOString();
      const names = await seed(dir.path, "acme", days("2026-02-01", 3), ["2026-01-15T02:00:00Z", recent]);
      const run = await agent("prune", "--location", dir.path, "--allow-below-minimum", "--keep-daily", "3");
      expect(run.code).toBe(0);
      expect(run.out).toContain(
        "forget acme/20260115T020000Z-scheduled  unfinished upload (zip or record missing), older than a day",
      );
      const left = (await (await openStore(dir.path)).list()).map((o) => o.name);
      expect(left).not.toContain(`${names[3]}.zip`);
      expect(left).toContain(`${names[4]}.zip`);
    } finally {
      dir.remove();
    }
  });

  it("refuses a policy below the production minimum unless told otherwise", async () => {
    const location = s3.location("minimum/");
    await seed(location, "acme", days("2026-03-01", 5));
    const run = await agent("prune", "--location", location, "--keep-daily", "2");
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/below the production minimum \(daily is 2, the minimum is 7\)/);
    expect((await (await openStore(location)).list()).length).toBe(10);
  });

  it("reads the retention from a project file", async () => {
    const location = s3.location("project/");
    await seed(location, "acme", days("2026-01-01", 40));
    const run = await agent(
      "prune",
      "--location",
      location,
      "--project",
      "examples/projects/acme-erp.yaml",
      "--dry-run",
    );
    expect(run.code).toBe(0);
    // acme-erp keeps 14 daily, 8 weekly and 12 monthly backups: 14 days, then the weeks of Jan 25, 18,
    // 11 and 4, then Jan 1 as the oldest while weekly counts remain.
    expect(run.out.trim().split("\n").at(-1)).toBe("19 kept, 21 would be forgotten (dry run)");
  });
});
