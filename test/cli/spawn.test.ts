import { describe, expect, it } from "vitest";
import { UsageError } from "../../cli/io.ts";
import { spawnInherited } from "../../cli/spawn.ts";

describe("spawnInherited", () => {
  it("resolves to the program's exit code, or 128 + the signal's number", async () => {
    const listeners = process.listenerCount("SIGINT");
    expect(await spawnInherited(["sh", "-c", "exit 3"])).toBe(3);
    expect(await spawnInherited(["sh", "-c", "kill -TERM $$"])).toBe(143);
    expect(process.listenerCount("SIGINT")).toBe(listeners);
  });

  it("says so when the program is missing", async () => {
    await expect(spawnInherited(["odooops-no-such-program"])).rejects.toThrow(UsageError);
  });
});
