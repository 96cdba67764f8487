import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import type { Stage } from "../model/stages.ts";

export interface EnvironmentDnsArgs {
  stage: Stage;
  platformDomain: string;
  /** Names under the platform domain, relative to it (`acme-erp`, `feature--x.acme-erp.dev`). */
  records: string[];
  /** Production's custom domains: each is a zone delegated to DigitalOcean, its apex on the host. */
  customDomains: string[];
}

export const RECORD_TTL_SECONDS = 300;

/** Relative record names of an environment's host names under the platform domain. */
export function platformRecords(hostnames: readonly string[], platformDomain: string): string[] {
  const suffix = `.${platformDomain}`;
  return hostnames.filter((h) => h.endsWith(suffix)).map((h) => h.slice(0, -suffix.length));
}

/**
 * An environment's DNS: A records under the platform domain (a zone the platform already has in
 * DigitalOcean) and, for production, the custom domains. The proxy obtains certificates for each name.
 */
export class EnvironmentDns extends pulumi.ComponentResource {
  readonly urns: pulumi.Output<string>[];

  constructor(
    name: string,
    args: EnvironmentDnsArgs,
    deps: { address: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:dns:EnvironmentDns", name, args, opts);
    args.records.forEach((record, index) => {
      new digitalocean.DnsRecord(
        `${name}-record${index === 0 ? "" : `-${index}`}`,
        {
          domain: args.platformDomain,
          name: record,
          type: "A",
          value: deps.address,
          ttl: RECORD_TTL_SECONDS,
        },
        { parent: this },
      );
    });
    this.urns = args.customDomains.map(
      (domain) =>
        new digitalocean.Domain(
          `${name}-${domain}`,
          { name: domain, ipAddress: deps.address },
          { parent: this },
        ).domainUrn,
    );
    this.registerOutputs({});
  }
}
