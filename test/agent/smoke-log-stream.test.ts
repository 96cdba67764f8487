import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readUntilIdle } from "../../agent/smoke/log-stream.ts";

/** The followed Odoo log a staging build pipes into its smoke tests never ends by itself. */
describe("readUntilIdle", () => {
  it("returns what was written once the stream has been quiet, though it never ends", async () => {
    const log = new PassThrough();
    log.write("INFO first\n");
    setTimeout(() => log.write("ERROR second\n"), 100);
    const text = await readUntilIdle(log, 300, 10_000);
    expect(text).toBe("INFO first\nERROR second\n");
    log.write("after the read\n");
  });

  it("stops at the cap when the log never goes quiet", async () => {
    const log = new PassThrough();
    const chatter = setInterval(() => log.write("INFO tick\n"), 20);
    const started = Date.now();
    const text = await readUntilIdle(log, 200, 400);
    clearInterval(chatter);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(text.split("\n").length).toBeGreaterThan(3);
  });

  it("returns at the end of a log that ends", async () => {
    const log = new PassThrough();
    log.end("INFO only\n");
    expect(await readUntilIdle(log, 60_000, 60_000)).toBe("INFO only\n");
  });
});
