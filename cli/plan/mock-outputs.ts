import * as pulumi from "@pulumi/pulumi";

/**
 * What the mock "cloud" answers when a resource is created: its inputs plus the outputs the real
 * provider would compute. Values are placeholders that look like the real thing (an IP, a URN) and
 * are never real credentials. Outputs the provider marks secret come back as secrets, as they would.
 */
type Computed = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

const COMPUTED: Record<string, Computed> = {
  "random:index/randomPassword:RandomPassword": (name) => ({
    result: `mock-password-${name}`,
    bcryptHash: "mock",
  }),
};

export function mockOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  secretOutputs: readonly string[],
): Record<string, unknown> {
  const state: Record<string, unknown> = { ...inputs, ...(COMPUTED[type]?.(name, inputs) ?? {}) };
  for (const key of secretOutputs) if (key in state) state[key] = pulumi.secret(state[key]);
  return state;
}
