import { describe, expect, it } from "vitest";
import { SECRET_STACK_CONFIG } from "../../../model/governance/agent-control-plane.ts";
import {
  parseRegistryAuth,
  REGISTRY_AUTH_CONFIG,
  registryAuthInFile,
} from "../../../model/governance/registry-auth.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";

const TOKEN = "ghp_secretvalue";

describe("registry credentials in stack config", () => {
  it("parse per project, GHCR by default", () => {
    expect(parseRegistryAuth(JSON.stringify({ acme: { username: "bot", token: TOKEN } }))).toEqual({
      auth: { acme: { address: "ghcr.io", username: "bot", token: TOKEN } },
      problems: [],
    });
    expect(parseRegistryAuth(undefined)).toEqual({ auth: {}, problems: [] });
  });

  it.each([
    ["not JSON", "{acme", "odooops:registryAuth: must be a mapping of project → credentials"],
    ["a missing token", { acme: { username: "bot" } }, "odooops:registryAuth.acme.token: "],
    ["an unknown key", { acme: { username: "bot", token: TOKEN, pasword: TOKEN } }, "unknown key(s) pasword"],
    [
      "a bad address",
      { acme: { address: "https://ghcr.io", username: "bot", token: TOKEN } },
      "must be a registry host name",
    ],
  ])("refuse %s with a line naming the path and never the token", (_, value, message) => {
    const { problems } = parseRegistryAuth(typeof value === "string" ? value : JSON.stringify(value));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
    expect(problems[0]).not.toContain(TOKEN);
  });

  it("must hold each token as a Pulumi secret in the stack file", () => {
    expect(registryAuthInFile({ acme: { username: "bot", token: { secure: "v1:abc" } } })).toEqual({
      entries: [{ project: "acme", username: "bot", address: "ghcr.io" }],
      problems: [],
    });
    expect(registryAuthInFile({ acme: { token: { secure: "v1:abc" } } }).problems[0]?.message).toBe(
      "acme.username must name the token's user",
    );
    const plain = registryAuthInFile({ acme: { username: "bot", token: TOKEN } });
    expect(plain.problems[0]?.message).toContain("acme.token must be a Pulumi secret");
    expect(JSON.stringify(plain)).not.toContain(TOKEN);
    expect(registryAuthInFile({ secure: "v1:abc" }).problems).toEqual([]);
  });

  it("stay out of the stack settings, and a plain token is a located stack file error", () => {
    expect(SECRET_STACK_CONFIG).toContain(REGISTRY_AUTH_CONFIG);
    const file = `config:
  odooops:stages: [production]
  odooops:platformDomain: odooops.example
  odooops:region: sgp1
  odooops:registryAuth:
    acme:
      username: bot
      token: ${TOKEN}
`;
    const read = readStackFile("/x", "prod", () => file);
    expect(read.settings).toBeUndefined();
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatchObject({
      file: "/x/Pulumi.prod.yaml",
      line: 5,
      path: "odooops:registryAuth",
    });
    const secret = readStackFile("/x", "prod", () => file.replace(TOKEN, "{ secure: v1:abc }"));
    expect(secret.problems).toEqual([]);
    expect(secret.settings?.stages).toEqual(["production"]);
    expect(secret.registry).toEqual([{ project: "acme", username: "bot", address: "ghcr.io" }]);
  });
});
