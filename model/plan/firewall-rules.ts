/**
 * Host firewall rules per stage, as data. DigitalOcean cloud firewalls are allow-lists: traffic no rule
 * allows is dropped, so "SMTP egress blocked" means the outbound TCP rules leave out the SMTP ports.
 */
export const SMTP_PORTS = [25, 465, 587, 2525] as const;
export const ANYWHERE = ["0.0.0.0/0", "::/0"];
const MAX_PORT = 65535;

export type Protocol = "tcp" | "udp" | "icmp";

export interface FirewallRule {
  protocol: Protocol;
  /** "80", "1-24"; undefined for ICMP, which has no ports. */
  portRange: string | undefined;
  /** Sources for inbound rules, destinations for outbound rules. */
  addresses: string[];
}

export interface FirewallPlan {
  inbound: FirewallRule[];
  outbound: FirewallRule[];
}

export interface FirewallInput {
  /** CIDRs from the project file that may reach the hosts over SSH. */
  sshSources: readonly string[];
  /** CIDRs the deployer connects from (docker over SSH, remote commands). */
  deploySources: readonly string[];
  smtpEgress: "blocked" | "allowed";
}

export function firewallPlan(input: FirewallInput): FirewallPlan {
  const ssh = [...new Set([...input.sshSources, ...input.deploySources])];
  const inbound: FirewallRule[] = [
    { protocol: "tcp", portRange: "80", addresses: ANYWHERE },
    { protocol: "tcp", portRange: "443", addresses: ANYWHERE },
    // HTTP/3: the proxy answers QUIC on 443/udp.
    { protocol: "udp", portRange: "443", addresses: ANYWHERE },
    { protocol: "icmp", portRange: undefined, addresses: ANYWHERE },
  ];
  if (ssh.length > 0) inbound.push({ protocol: "tcp", portRange: "22", addresses: ssh });
  const blocked = input.smtpEgress === "blocked" ? SMTP_PORTS : [];
  const outbound: FirewallRule[] = [
    ...allowedPortRanges(blocked).map(([low, high]) => ({
      protocol: "tcp" as const,
      portRange: low === high ? `${low}` : `${low}-${high}`,
      addresses: ANYWHERE,
    })),
    { protocol: "udp", portRange: `1-${MAX_PORT}`, addresses: ANYWHERE },
    { protocol: "icmp", portRange: undefined, addresses: ANYWHERE },
  ];
  return { inbound, outbound };
}

/** The port ranges 1–65535 minus `blocked`, as inclusive [low, high] pairs in ascending order. */
export function allowedPortRanges(blocked: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  let next = 1;
  for (const port of [...new Set(blocked)].sort((a, b) => a - b)) {
    if (port > next) ranges.push([next, port - 1]);
    next = Math.max(next, port + 1);
  }
  if (next <= MAX_PORT) ranges.push([next, MAX_PORT]);
  return ranges;
}

/** Whether a rule list lets `port` through over `protocol`; the one reading policies and tests share. */
export function allowsPort(rules: readonly FirewallRule[], protocol: Protocol, port: number): boolean {
  return rules.some((rule) => {
    if (rule.protocol !== protocol || rule.portRange === undefined) return false;
    if (rule.portRange === "all") return true;
    const [low, high] = rule.portRange.split("-").map(Number);
    return low !== undefined && port >= low && port <= (high ?? low);
  });
}
