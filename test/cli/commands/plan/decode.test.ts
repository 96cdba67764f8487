import { describe, expect, it } from "vitest";
import { decodeProperties, pathSegments, redact } from "../../../../cli/commands/plan/decode.ts";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
const output = (value: unknown, isSecret = false) => ({
  [SIG]: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
  value,
  secret: isSecret,
});

describe("decodeProperties", () => {
  it("unwraps secrets and outputs and names each secret's path as pathSegments reads it back", () => {
    const raw = {
      name: "db",
      password: secret("hunter2"),
      envs: ["A=1", secret("TOKEN=x"), output("B=2")],
      uploads: [{ file: "/etc/odoo.conf", content: output("admin_passwd = y", true) }],
      nested: { deep: [[secret({ key: secret("inner") })]] },
    };
    const { value, secretPaths } = decodeProperties(raw);
    expect(value).toEqual({
      name: "db",
      password: "hunter2",
      envs: ["A=1", "TOKEN=x", "B=2"],
      uploads: [{ file: "/etc/odoo.conf", content: "admin_passwd = y" }],
      nested: { deep: [[{ key: "inner" }]] },
    });
    // A secret inside a secret is covered by the outer one and not listed again.
    expect(secretPaths).toEqual(["password", "envs[1]", "uploads[0].content", "nested.deep[0][0]"]);
    expect(pathSegments("uploads[0].content")).toEqual(["uploads", "0", "content"]);
    const printed = redact(value as Record<string, unknown>, secretPaths);
    expect(JSON.stringify(printed)).not.toMatch(/hunter2|TOKEN=x|admin_passwd|inner/);
    expect(printed.envs).toEqual(["A=1", "[secret]", "B=2"]);
  });

  it("treats a secret at the top as the whole value", () => {
    expect(decodeProperties(secret({ a: 1 }))).toEqual({ value: { a: 1 }, secretPaths: [""] });
  });
});
