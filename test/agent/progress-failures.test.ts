import { describe, expect, it } from "vitest";
import { describeFailure } from "../../agent/errors.ts";
import { Progress } from "../../agent/progress.ts";
import { agent, envVar, s3Server } from "./support.ts";

/** Progress people can trust, and failures named by what failed. */
const lines = () => {
  const out: string[] = [];
  return { out, reporter: { info: (l: string) => out.push(l), progress: (l: string) => out.push(l) } };
};

describe("progress", () => {
  it("gives no ETA from the first seconds or the first percent of the work", () => {
    const { reporter } = lines();
    const p = new Progress(reporter, "clone", { bytes: 1_000_000, exact: false }, 1e9);
    const start = Date.now();
    p.add(1000);
    expect(p.line(start + 2000)).not.toMatch(/ETA/);
    expect(p.line(start + 60_000)).not.toMatch(/ETA/); // 0.1% done: a rate from a slow start
    p.add(99_000);
    expect(p.line(start + 10_000)).toMatch(/ETA ~1m30s$/);
  });

  it("never shows an estimate as more than 99% done, however far the work runs past it", () => {
    const { reporter } = lines();
    const p = new Progress(reporter, "backup", { bytes: 1000, exact: false }, 1e9);
    p.add(5000);
    const line = p.line(Date.now() + 10_000);
    expect(line).toMatch(/^backup: 4\.9 KiB of ~5\.1 KiB \(95%\)/);
    expect(line).not.toMatch(/1\d\d%|ETA/);
    const exact = new Progress(reporter, "download", { bytes: 1000, exact: true }, 1e9);
    exact.add(1000);
    expect(exact.line()).toMatch(/^download: 1000 B of 1000 B \(100%\)/);
  });
});

describe("failures", () => {
  it("are named by what failed", () => {
    expect(
      describeFailure(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })),
    ).toBe("connection failed: connect ECONNREFUSED 127.0.0.1:1");
    expect(
      describeFailure(
        Object.assign(new Error('password authentication failed for user "x"'), { code: "28P01" }),
      ),
    ).toMatch(/^cannot connect to the database: password authentication failed/);
    expect(
      describeFailure(
        Object.assign(new Error("Access Denied"), {
          name: "AccessDenied",
          $metadata: { httpStatusCode: 403 },
        }),
      ),
    ).toBe("storage failure (AccessDenied): Access Denied");
    expect(describeFailure(new Error("boom"))).toBe("unexpected failure: boom");
  });

  it("a backup to a missing bucket fails before anything is dumped, naming the bucket", async () => {
    const s3 = await s3Server();
    try {
      // The database does not exist either: the bucket is checked first, so that is what is reported.
      const dbEnv = envVar("postgresql://nobody:secret@127.0.0.1:1/shop", "NODB");
      const run = await agent("backup", "--db-url-env", dbEnv, "--location", "s3://no-such-bucket/shop/");
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /storage: bucket "no-such-bucket" does not exist \(s3:\/\/no-such-bucket\/shop\/\); nothing was written/,
      );
      expect(run.err).not.toMatch(/unexpected|secret/);
    } finally {
      await s3.close();
    }
  });

  it("an unreachable database is named as a connection failure", async () => {
    const dbEnv = envVar("postgresql://nobody:secret@127.0.0.1:1/shop", "NODB2");
    const run = await agent(
      "neutralize",
      "--db-url-env",
      dbEnv,
      "--base-url",
      "https://x.example",
      "--mailpit-host",
      "m",
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /^odooops agent neutralize: (connection failed|cannot connect to the database): /,
    );
    expect(run.err).not.toMatch(/secret/);
  });
});
