import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import type { ClientPlan, IdentityPlan } from "../../model/plan/identity/realm.ts";

/**
 * A project's identity in the platform's Keycloak, materialized from its IdentityPlan: the realm with
 * its login policy and one group per persona (prod stack), and the OIDC clients of the stack's own
 * environments. Every client is confidential, code flow only, PKCE S256: the policies in
 * policies/identity.ts refuse anything else.
 */
export class TenantIdentity extends pulumi.ComponentResource {
  /** Each client's id and generated secret (a Pulumi secret), keyed by client id. */
  readonly clients: Record<string, { clientId: pulumi.Output<string>; secret: pulumi.Output<string> }> = {};

  constructor(
    name: string,
    plan: IdentityPlan,
    provider: keycloak.Provider,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:identity:TenantIdentity", name, { plan }, opts);
    const child = { parent: this, provider };
    // The staging stack names the prod stack's realm: Keycloak takes the realm's name as its id.
    const realmId: pulumi.Input<string> = plan.ownsRealm
      ? new keycloak.Realm(
          `${name}-realm`,
          {
            realm: plan.realm,
            enabled: true,
            displayName: plan.project,
            sslRequired: "all",
            registrationAllowed: false,
            resetPasswordAllowed: true,
            loginWithEmailAllowed: true,
            duplicateEmailsAllowed: false,
            ssoSessionIdleTimeout: `${plan.sessionIdleMinutes}m`,
            passwordPolicy: "length(12) and notUsername and passwordHistory(5)",
            securityDefenses: { bruteForceDetection: { permanentLockout: false, maxLoginFailures: 10 } },
          },
          { ...child, protect: true },
        ).id
      : plan.realm;
    if (plan.ownsRealm && plan.mfa === "required")
      new keycloak.RequiredAction(
        `${name}-totp`,
        { realmId, alias: "CONFIGURE_TOTP", enabled: true, defaultAction: true },
        child,
      );
    for (const group of plan.groups)
      new keycloak.Group(`${name}-group-${group}`, { realmId, name: group }, child);
    for (const client of plan.clients)
      this.clients[client.clientId] = this.client(name, realmId, client, provider);
    this.registerOutputs({});
  }

  private client(name: string, realmId: pulumi.Input<string>, plan: ClientPlan, provider: keycloak.Provider) {
    const client = new keycloak.openid.Client(
      `${name}-client-${plan.clientId}`,
      {
        realmId,
        clientId: plan.clientId,
        name: plan.name,
        enabled: true,
        accessType: "CONFIDENTIAL",
        standardFlowEnabled: true,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: false,
        pkceCodeChallengeMethod: "S256",
        validRedirectUris: plan.redirectUris,
        webOrigins: plan.webOrigins,
        // Keycloak generates the secret; it reaches Odoo and Superset only as a Pulumi secret.
      },
      { parent: this, provider, additionalSecretOutputs: ["clientSecret"] },
    );
    return { clientId: client.clientId, secret: pulumi.secret(client.clientSecret) };
  }
}
