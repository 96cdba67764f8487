import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allowedPortRanges,
  allowsPort,
  firewallPlan,
  SMTP_PORTS,
} from "../../../model/plan/firewall-rules.ts";

const base = { sshSources: ["203.0.113.0/28"], deploySources: ["198.51.100.10/32"] };

describe("firewall rules", () => {
  it("allow every port except the blocked ones, whatever is blocked", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 65535 }),
        (blocked, port) => {
          const rules = allowedPortRanges(blocked).map(([lo, hi]) => ({
            protocol: "tcp" as const,
            portRange: `${lo}-${hi}`,
            addresses: [],
          }));
          expect(allowsPort(rules, "tcp", port)).toBe(!blocked.includes(port));
        },
      ),
    );
  });

  it("keep SMTP egress closed outside production and open in production", () => {
    const blocked = firewallPlan({ ...base, smtpEgress: "blocked" });
    const allowed = firewallPlan({ ...base, smtpEgress: "allowed" });
    for (const port of SMTP_PORTS) {
      expect(allowsPort(blocked.outbound, "tcp", port)).toBe(false);
      expect(allowsPort(allowed.outbound, "tcp", port)).toBe(true);
    }
    expect(allowsPort(blocked.outbound, "tcp", 443)).toBe(true);
    expect(allowsPort(blocked.outbound, "udp", 53)).toBe(true);
  });

  it("open HTTP and HTTPS to everyone and SSH only to the configured and deployer CIDRs", () => {
    const { inbound } = firewallPlan({ ...base, smtpEgress: "blocked" });
    for (const port of [80, 443])
      expect(inbound.find((r) => r.portRange === String(port))?.addresses).toContain("0.0.0.0/0");
    const ssh = inbound.filter((r) => allowsPort([r], "tcp", 22));
    expect(ssh.flatMap((r) => r.addresses).sort()).toEqual(["198.51.100.10/32", "203.0.113.0/28"]);
  });

  it("open SSH to nobody when neither the project nor the stack names a source", () => {
    const { inbound } = firewallPlan({ sshSources: [], deploySources: [], smtpEgress: "blocked" });
    expect(allowsPort(inbound, "tcp", 22)).toBe(false);
  });
});
