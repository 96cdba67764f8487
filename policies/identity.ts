import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { formatFinding } from "../model/rules/finding.ts";
import {
  type ClientFinding,
  type OidcClient,
  oidcClientSchema,
  pkceFindings,
  publicClientSecretFinding,
  redirectFindings,
  tenantRedirectUris,
} from "../model/rules/identity.ts";
import { forType, known, resourceWhere, TYPES } from "./support/resources.ts";
import { StackGraph } from "./support/stack-graph.ts";

/** Tenant sign-in (issue 18 part 1): the OIDC clients the platform creates in Keycloak. */

const readClient = (props: unknown): OidcClient | undefined =>
  known(() => oidcClientSchema.safeParse(props).data);

const report =
  (findings: (client: OidcClient) => (ClientFinding | undefined)[]) =>
  (props: Record<string, unknown>, args: { type: string; name: string }, out: (m: string) => void) => {
    const client = readClient(props);
    if (!client) return;
    for (const f of findings(client))
      if (f) out(formatFinding({ what: f.what, where: resourceWhere(args), fix: f.fix }));
  };

export const noPublicClientWithSecret: ResourceValidationPolicy = {
  name: "keycloak-no-public-client-secret",
  description: "A public OIDC client (browser, device) never carries a client secret.",
  enforcementLevel: "mandatory",
  validateResource: forType(
    TYPES.oidcClient,
    report((c) => [publicClientSecretFinding(c)]),
  ),
};

export const pkceRequired: ResourceValidationPolicy = {
  name: "keycloak-pkce-required",
  description:
    "OIDC clients use the authorization code flow with PKCE S256; no implicit flow or password grant.",
  enforcementLevel: "mandatory",
  validateResource: forType(TYPES.oidcClient, report(pkceFindings)),
};

const projectProps = z.looseObject({
  project: z.looseObject({ name: z.string() }),
  platformDomain: z.string(),
  environments: z.array(z.looseObject({ hostnames: z.array(z.string()) })).default([]),
});

/** Redirect URIs are exact callbacks of the hosts of the project that owns the client. */
export const redirectUrisOfTenant: StackValidationPolicy = {
  name: "keycloak-redirect-uris-tenant-hosts",
  description: "An OIDC client redirects only to exact callbacks of its own tenant's hosts.",
  enforcementLevel: "mandatory",
  validateStack: (args, out) => {
    const graph = new StackGraph(args.resources);
    for (const resource of graph.ofType(TYPES.oidcClient)) {
      const client = readClient(resource.props);
      if (!client) continue;
      const allowed = allowedFor(graph.projectOf(resource));
      const findings = allowed
        ? redirectFindings(client, allowed)
        : [
            {
              what: `client ${client.clientId} belongs to no project`,
              fix: "create clients through TenantIdentity",
            },
          ];
      for (const f of findings)
        out(formatFinding({ what: f.what, where: resourceWhere(resource), fix: f.fix }), resource.urn);
    }
  },
};

function allowedFor(project: PolicyResource | undefined): ReadonlySet<string> | undefined {
  const parsed = project && projectProps.safeParse(project.props);
  if (!parsed?.success) return undefined;
  const { project: spec, platformDomain, environments } = parsed.data;
  return tenantRedirectUris(
    spec.name,
    platformDomain,
    environments.flatMap((e) => e.hostnames),
  );
}

export const identityPolicies = [noPublicClientWithSecret, pkceRequired, redirectUrisOfTenant];
