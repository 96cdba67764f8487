import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import {
  RECREATE_ON_CHANGE,
  REPLACE_ON_CHANGE,
  REPLACEMENT_CONSEQUENCE,
} from "../../../model/plan/replacement-facts.ts";

/** Every resource class the provider SDKs export, by type token. */
function classesOf(module: object, found = new Map<string, { toString(): string }>(), depth = 0) {
  for (const value of Object.values(module)) {
    if (typeof value === "function" && typeof (value as { __pulumiType?: unknown }).__pulumiType === "string")
      found.set((value as unknown as { __pulumiType: string }).__pulumiType, value);
    else if (value && typeof value === "object" && depth < 2) classesOf(value, found, depth + 1);
  }
  return found;
}

const SDK = classesOf({ command, digitalocean, docker });

describe("the replacement facts, against the provider SDKs the program registers with", () => {
  const facts = { ...REPLACE_ON_CHANGE, ...RECREATE_ON_CHANGE };
  it.each(Object.entries(facts))("%s: a type the SDK has, with inputs it sends", (type, inputs) => {
    const cls = SDK.get(type);
    expect(cls, `${type} is a resource of @pulumi/*`).toBeDefined();
    // The generated constructor copies each input it sends: `resourceInputs["name"] = args…`.
    const source = cls!.toString();
    for (const input of inputs)
      expect(source, `${type}.${input}`).toMatch(new RegExp(`resourceInputs\\["${input}"\\] = args`));
  });

  it("names a consequence only for types it knows", () => {
    for (const type of Object.keys(REPLACEMENT_CONSEQUENCE)) expect(SDK.has(type), type).toBe(true);
  });
});
