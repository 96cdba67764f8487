import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressCoverage, broadCoverage } from "../../model/rules/address-space.ts";
import { broadSshExposure, openSmtpPorts } from "../../model/rules/network.ts";
import { missingSteps } from "../../model/rules/sanitize.ts";
import { findPlaintextSecrets, looksLikeToken } from "../../model/rules/secrets.ts";
import { locateField } from "../../model/rules/sources.ts";
import { isDigestPinned, pinningProblem } from "../../model/rules/supply-chain.ts";

/** The pure decisions under the policies, at their edges. */
describe("network rules", () => {
  it.each([
    [["0.0.0.0/0"], "IPv4"],
    [["::/0"], "IPv6"],
    [["0::/0"], "IPv6"],
    [["0.0.0.0/1", "128.0.0.0/1"], "IPv4"],
    [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"], "IPv4"],
    [["2000::/3"], "IPv6"],
  ])("%j covers the whole public %s Internet", (cidrs, family) => {
    expect(addressCoverage(cidrs)).toEqual([expect.objectContaining({ family, fraction: 1 })]);
  });

  it("counts overlaps once and private ranges not at all", () => {
    const fraction = (cidrs: string[]) => addressCoverage(cidrs)[0]!.fraction;
    expect(fraction(["1.0.0.0/8", "1.128.0.0/9"])).toBe(fraction(["1.0.0.0/8"]));
    expect(fraction(["10.0.0.0/7"])).toBe(fraction(["11.0.0.0/8"]));
    expect(fraction(["10.0.0.0/8", "192.168.0.0/16", "fd00::/8"])).toBe(0);
    expect(fraction(["2000::/4"])).toBe(0.5);
  });

  it.each([
    ["the world in two halves", ["203.0.113.0/28", "0.0.0.0/1", "128.0.0.0/1"], ["IPv4"]],
    ["all global IPv6 unicast", ["2000::/3"], ["IPv6"]],
    ["a public /7", ["12.0.0.0/7"], ["IPv4"]],
    ["a public /8", ["11.0.0.0/8"], ["IPv4"]],
    ["an IPv6 /8 of global unicast", ["2a00::/8"], ["IPv6"]],
    ["both families", ["0.0.0.0/0", "::/0"], ["IPv4", "IPv6"]],
  ])("refuses %s", (_name, cidrs, families) => {
    expect(broadCoverage(cidrs).map((c) => c.family)).toEqual(families);
  });

  it.each([
    ["a VPN's /8 and an office", ["10.0.0.0/8", "198.51.100.7/32"]],
    ["a public /9", ["11.0.0.0/9"]],
    ["private ranges and an office", ["172.16.0.0/12", "192.168.0.0/16", "203.0.113.7/32"]],
    ["an IPv6 /32 allocation", ["2001:db8::/32"]],
    ["a single IPv4-mapped host", ["::ffff:203.0.113.7/128"]],
    ["nothing", []],
  ])("accepts %s", (_name, cidrs) => {
    expect(broadCoverage(cidrs)).toEqual([]);
  });

  it("accepts any one IPv4 block narrower than a /8", () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.integer({ min: 9, max: 32 }),
        (ip, bits) => broadCoverage([`${ip}/${bits}`]).length === 0,
      ),
    );
  });

  it("reads port ranges as DigitalOcean writes them, and fails closed on nonsense", () => {
    const rule = (portRange: string | undefined, protocol = "tcp") => [
      { protocol, portRange, addresses: ["0.0.0.0/0"] },
    ];
    const broad = (rules: ReturnType<typeof rule>) => broadSshExposure(rules).broad.length > 0;
    expect(broad(rule("22"))).toBe(true);
    expect(broad(rule("all"))).toBe(true);
    expect(broad(rule(undefined))).toBe(true);
    expect(broad(rule("twenty-two"))).toBe(true);
    expect(broad(rule("23-65535"))).toBe(false);
    expect(broad(rule("22", "udp"))).toBe(false);
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
