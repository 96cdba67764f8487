import { z } from "zod";

/**
 * Single sign-on through the platform's Keycloak (issue 18 part 1). Present = the project gets its own
 * realm with an OIDC client for Odoo (OCA auth_oidc) and one for Superset; groups follow `personas`.
 * Only choices that cannot weaken the mandatory client policies are offered here: PKCE, confidential
 * clients and redirect URIs are the platform's, never the YAML's.
 */
export const sso = z
  .strictObject({
    odoo: z
      .strictObject({
        loginLabel: z
          .string()
          .min(1)
          .max(60)
          .regex(/^[^<>&"]+$/, { error: "must be plain text without <, >, & or quotes" })
          .default("Sign in with SSO")
          .describe("The button text on Odoo's login page"),
      })
      .prefault({})
      .describe("Odoo signs in through OCA auth_oidc (authorization code flow with PKCE)"),
    superset: z.boolean().default(true).describe("Give the project's analysts a Superset client"),
    mfa: z
      .enum(["required", "optional"])
      .default("required")
      .describe("Whether every user of the realm must enrol an authenticator (TOTP)"),
    sessionIdleMinutes: z
      .int()
      .min(5)
      .max(720)
      .default(30)
      .describe("Idle time after which Keycloak ends a session"),
  })
  .describe("Single sign-on through the platform's Keycloak: one realm per project");

export type SsoSpec = z.output<typeof sso>;
