import { allowsPort, type FirewallRule, type Protocol, SMTP_PORTS } from "../plan/firewall-rules.ts";
import { broadCoverage, type Coverage } from "./address-space.ts";

/**
 * Network decisions shared by the plan-level rules (CIDRs from YAML) and the rules on DigitalOcean
 * firewalls. The firewall semantics (allow-lists, port ranges) are model/plan/firewall-rules.ts's; this
 * module only reads provider inputs into that shape and asks it.
 */
export const SSH_PORT = 22;
export { SMTP_PORTS };

/** A DigitalOcean firewall rule as the provider takes it (inbound: sources, outbound: destinations). */
export interface ProviderFirewallRule {
  protocol: string;
  portRange?: string | undefined;
  action?: string | undefined;
  addresses: readonly string[];
}

const PROTOCOLS: readonly string[] = ["tcp", "udp", "icmp"];

/**
 * Provider rules as model/plan/firewall-rules.ts reads them. Deny rules open nothing; a TCP/UDP rule without
 * a port range, or with one that cannot be read, is taken as every port: a policy fails closed.
 */
export function toFirewallRules(rules: readonly ProviderFirewallRule[]): FirewallRule[] {
  return rules
    .filter((rule) => (rule.action ?? "allow").toLowerCase() !== "deny")
    .filter((rule) => PROTOCOLS.includes(rule.protocol.toLowerCase()))
    .map((rule) => {
      const protocol = rule.protocol.toLowerCase() as Protocol;
      const range = rule.portRange?.trim();
      const readable = range !== undefined && /^(\d+(-\d+)?|all)$/.test(range);
      return {
        protocol,
        portRange: protocol === "icmp" ? undefined : readable ? range : "all",
        addresses: [...rule.addresses],
      };
    });
}

/**
 * The sources of inbound rules that admit SSH, and per address family how much of the Internet they
 * admit together when that is too much (see model/rules/address-space.ts).
 */
export function broadSshExposure(inbound: readonly ProviderFirewallRule[]): {
  sources: string[];
  broad: Coverage[];
} {
  const sources = [
    ...new Set(
      toFirewallRules(inbound)
        .filter((rule) => allowsPort([rule], "tcp", SSH_PORT))
        .flatMap((rule) => rule.addresses),
    ),
  ];
  return { sources, broad: broadCoverage(sources) };
}

/** SMTP ports that outbound allow rules open, to any destination. */
export function openSmtpPorts(outbound: readonly ProviderFirewallRule[]): number[] {
  const rules = toFirewallRules(outbound);
  return SMTP_PORTS.filter((port) => allowsPort(rules, "tcp", port));
}
