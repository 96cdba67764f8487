import { describe, expect, it } from "vitest";
import type { CapturedResource } from "../../../../cli/commands/plan/capture.ts";
import { UNKNOWN } from "../../../../cli/commands/plan/decode.ts";
import { noOptions, policyProps, UnknownValueError } from "../../../../cli/commands/plan/policy-args.ts";

function captured(inputs: Record<string, unknown>): CapturedResource {
  return {
    urn: "urn:pulumi:s::p::t::n",
    type: "t",
    name: "n",
    custom: true,
    parent: undefined,
    inputs,
    secretPaths: [],
    options: noOptions(),
  };
}

const thrown = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe("policyProps", () => {
  it("throws the analyzer's UnknownValueError where a policy reads a value only known after deployment", () => {
    const known = { image: "ghcr.io/x@sha256:1", ports: [{ internal: 8069 }] };
    const props = policyProps(
      captured({ known, env: { HOST: UNKNOWN, NAME: "odoo" }, tags: ["a", UNKNOWN], name: "n" }),
    );
    expect(props.name).toBe("n");
    const env = props.env as Record<string, unknown>;
    expect(env.NAME).toBe("odoo");
    const error = thrown(() => env.HOST);
    expect(error).toBeInstanceOf(UnknownValueError);
    expect((error as UnknownValueError).path).toEqual(["env", "HOST"]);
    const tags = props.tags as string[];
    expect(tags[0]).toBe("a");
    expect(thrown(() => tags.filter((t) => t.length > 0))).toBeInstanceOf(UnknownValueError);
    // Nothing unknown anywhere below: handed over as it is, reads never throw.
    expect(props.known).toBe(known);
  });

  it("hands over inputs with no unknown value unchanged", () => {
    const inputs = { a: { b: [1, "x", { c: null }] } };
    expect(policyProps(captured(inputs))).toBe(inputs);
  });
});
