import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentUrlFromFiles } from "../../../../cli/commands/health/target.ts";

/** `odooops health` without --url checks the address the plan gives the environment. */
describe("the health check's default address", () => {
  // The example projects stand in for an admin's projects/ (the same override the program reads).
  beforeAll(() => {
    process.env.ODOOOPS_PROJECTS_DIR = "examples/projects";
  });
  afterAll(() => {
    delete process.env.ODOOOPS_PROJECTS_DIR;
  });

  it("is the environment's first host name, from the branch rules and the stack's platform domain", () => {
    expect(environmentUrlFromFiles(".", "acme-erp", "main")).toBe("https://acme-erp.odooops.example");
    expect(environmentUrlFromFiles(".", "acme-erp", "feature/login")).toBe(
      "https://feature--login.acme-erp.dev.odooops.example",
    );
  });

  it("names a branch no rule routes, and an unknown project, in one line", () => {
    expect(() => environmentUrlFromFiles(".", "acme-erp", "wip/x")).toThrow(
      "branch wip/x matches no branch rule of acme-erp",
    );
    expect(() => environmentUrlFromFiles(".", "nope", "main")).toThrow('no project "nope"');
  });
});
