import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDigestPinned, pinningProblem } from "../../model/rules/images.ts";
import { isWorldCidr, openSmtpPorts, worldOpenSshSources } from "../../model/rules/network.ts";
import { missingSteps } from "../../model/rules/sanitize.ts";
import { findPlaintextSecrets, looksLikeToken } from "../../model/rules/secrets.ts";
import { locateField } from "../../model/rules/sources.ts";

/** The pure decisions under the policies, at their edges. */
describe("network rules", () => {
  it.each(["0.0.0.0/0", "::/0", "0::/0", " 0.0.0.0/00 "])("%s admits the world", (cidr) => {
    expect(isWorldCidr(cidr)).toBe(true);
  });

  it("no CIDR with a prefix length admits the world", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 32 }), (ip, bits) => !isWorldCidr(`${ip}/${bits}`)),
    );
  });

  it("reads port ranges as DigitalOcean writes them, and fails closed on nonsense", () => {
    const rule = (portRange: string | undefined, protocol = "tcp") => [
      { protocol, portRange, addresses: ["0.0.0.0/0"] },
    ];
    expect(worldOpenSshSources(rule("22"))).toEqual(["0.0.0.0/0"]);
    expect(worldOpenSshSources(rule("all"))).toEqual(["0.0.0.0/0"]);
    expect(worldOpenSshSources(rule(undefined))).toEqual(["0.0.0.0/0"]);
    expect(worldOpenSshSources(rule("twenty-two"))).toEqual(["0.0.0.0/0"]);
    expect(worldOpenSshSources(rule("23-65535"))).toEqual([]);
    expect(worldOpenSshSources(rule("22", "udp"))).toEqual([]);
    expect(openSmtpPorts(rule("1-24"))).toEqual([]);
    expect(openSmtpPorts(rule("26-586"))).toEqual([465]);
  });
});

describe("image pinning", () => {
  it("accepts digests and image ids, nothing else", () => {
    expect(isDigestPinned(`ghcr.io/a/b@sha256:${"0".repeat(64)}`)).toBe(true);
    expect(isDigestPinned(`ghcr.io/a/b:1.2@sha256:${"0".repeat(64)}`)).toBe(true);
    expect(isDigestPinned(`sha256:${"0".repeat(64)}`)).toBe(true);
    expect(pinningProblem("ghcr.io/a/b:1.2")).toContain('tag "1.2"');
    expect(pinningProblem("localhost:5000/a/b")).toContain("names no digest");
    expect(pinningProblem(`ghcr.io/a/b@sha256:${"0".repeat(65)}`)).toContain("malformed");
  });
});

describe("secret detection", () => {
  it("never takes hex digests, commit SHAs or lowercase names for tokens", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-f0-9]{7,64}$/), (hex) => {
        const value = { image: `ghcr.io/a/b@sha256:${hex}`, commit: hex, host: `${hex}.dev.example.com` };
        return findPlaintextSecrets(value, { mode: "strict" }).length === 0;
      }),
    );
  });

  it("takes long mixed-case random strings for tokens", () => {
    expect(looksLikeToken("Zx9Qm2Lp8Rt4Vw6Yb1Nc3Kd5Hf7Jg0Ts")).toBe(true);
    expect(looksLikeToken("OdooopsPlatformBuild")).toBe(false);
  });

  it("reports paths and reasons, never values", () => {
    const findings = findPlaintextSecrets(
      { odooOptions: { admin_passwd: "hunter2", db_password: "$DB_PASSWORD", workers: 4 } },
      { mode: "strict" },
    );
    expect(findings).toEqual([
      {
        path: "odooOptions.admin_passwd",
        reason: 'is named like a secret ("admin_passwd") and holds a literal value',
      },
    ]);
  });

  it("in formats mode leaves generated passwords alone but not credentials in command lines", () => {
    const inputs = {
      create: "psql postgresql://doadmin:Xy7@db:25060/defaultdb",
      environment: { URL: "postgresql://doadmin:Xy7@db:25060/defaultdb" },
      password: "Vq3Lr8Tz1Xw5Ny7Bm2Kc9Hd4",
    };
    const findings = findPlaintextSecrets(inputs, { mode: "formats", slots: ["environment"] });
    expect(findings.map((f) => f.path)).toEqual(["create"]);
  });

  it("skips values that can only be known after deployment", () => {
    const unknown = new Proxy(
      { known: `ghp_${"a1B2c3D4e5".repeat(4)}`, later: "" },
      {
        get(target, key) {
          if (key === "later") throw Object.assign(new Error("unknown"), { name: "UnknownValueError" });
          return target[key as keyof typeof target];
        },
      },
    );
    expect(findPlaintextSecrets(unknown, { mode: "formats" }).map((f) => f.path)).toEqual(["known"]);
  });
});

describe("sanitizing steps", () => {
  it("finds neutralize and mask in the data agent's command lines", () => {
    expect(missingSteps(["odooops agent clone", "odooops agent neutralize --db-url-env U"])).toEqual([
      "mask",
    ]);
    expect(missingSteps(["odooops agent neutralize && odooops agent mask --profile strict"])).toEqual([]);
    expect(missingSteps(["umask 022 && odooops agent clone"])).toEqual(["neutralize", "mask"]);
  });
});

describe("locating a field", () => {
  const sources = { retention: "p.yaml:9:12", "environments.staging": "p.yaml:14:3" };
  it("falls back to the nearest recorded parent, then to the file", () => {
    expect(locateField(sources, "retention.daily", "p.yaml")).toBe("p.yaml:9:12 retention.daily");
    expect(locateField(sources, "environments.staging.sshSources[1]", "p.yaml")).toBe(
      "p.yaml:14:3 environments.staging.sshSources[1]",
    );
    expect(locateField(sources, 'odooOptions["a b"]', "p.yaml")).toBe('p.yaml odooOptions["a b"]');
  });
});
