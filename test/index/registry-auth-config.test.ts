import { afterEach, describe, expect, it, vi } from "vitest";
import { prodConfig, runProgram } from "./support.ts";

/** index.ts reads each project's read-only pull token from the secret stack config odooops:registryAuth. */
const TOKEN = "ghp_programTestReadOnlyToken";
const SECRET = ["odooops:registryAuth"];

afterEach(() => {
  vi.resetModules();
});

describe("index.ts and the registry credentials", () => {
  it("gives the project's hosts their pull token as a secret, and no other project's", async () => {
    const captured = await runProgram(
      prodConfig({
        "odooops:registryAuth": JSON.stringify({ "acme-erp": { username: "bot", token: TOKEN } }),
      }),
      SECRET,
    );
    const providers = captured.filter((r) => r.type === "pulumi:providers:docker");
    const auth = (p: (typeof providers)[number]) => {
      const value = p.inputs.registryAuth;
      return typeof value === "string" ? JSON.parse(value) : value;
    };
    const acme = providers.filter((p) => p.name.startsWith("acme-erp-"));
    expect(acme.length).toBeGreaterThan(0);
    for (const p of acme) {
      expect(auth(p), p.name).toEqual([{ address: "ghcr.io", username: "bot", password: TOKEN }]);
      expect(
        p.secretPaths.some((path) => path.startsWith("registryAuth")),
        p.name,
      ).toBe(true);
    }
    for (const p of providers.filter((p) => !p.name.startsWith("acme-erp-")))
      expect(auth(p), p.name).toBeUndefined();
    for (const r of captured.filter((r) => r.type.startsWith("odooops:")))
      expect(JSON.stringify(r.inputs), r.name).not.toContain(TOKEN);
  });

  it("refuses credentials without a token in one line that names the path", async () => {
    await expect(
      runProgram(
        prodConfig({ "odooops:registryAuth": JSON.stringify({ "acme-erp": { username: "bot" } }) }),
        SECRET,
      ),
    ).rejects.toThrow(/^odooops:registryAuth\.acme-erp\.token: /);
  });
});
