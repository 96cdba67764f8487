import { describe, expect, it } from "vitest";
import { BUILD_KEY_PATTERN, parseBuildKeys, storeBuildKeyCommand } from "../../model/build-keys.ts";
import { APP_REPO_SECRETS, planRepositoryGovernance } from "../../model/github-governance.ts";
import { loadProjects } from "../../model/loader.ts";
import { formatProblem } from "../../model/problem.ts";
import { readStackFile } from "../../model/stack-file.ts";

/** The app repositories' build keys in the prod stack: `odooops-app:buildKeys`, secrets only. */
const KEY = `odooops_bk_${"Ab9_-".repeat(8)}xyz`;
const BASE = [
  "config:",
  "  odooops:stages: [production]",
  "  odooops:platformDomain: odooops.example",
  "  odooops:region: sgp1",
];
const stackFile = (...lines: string[]) =>
  readStackFile("/stacks", "prod", () => `${[...BASE, ...lines].join("\n")}\n`);
const messages = (read: ReturnType<typeof stackFile>) => read.problems.map(formatProblem);

describe("app repository credentials", () => {
  it("never give an app repository the service-role key", () => {
    for (const secret of APP_REPO_SECRETS) {
      expect(secret.name).not.toMatch(/SERVICE_ROLE|^ODOOOPS_CONTROL_PLANE_KEY$/);
      expect(secret.config).not.toBe("controlPlaneKey");
    }
    expect(APP_REPO_SECRETS.map((s) => s.name)).toEqual(
      expect.arrayContaining(["ODOOOPS_CONTROL_PLANE_ANON_KEY", "ODOOOPS_BUILD_KEY"]),
    );
    const { projects } = loadProjects(["examples/projects/acme-erp.yaml"]);
    const plan = planRepositoryGovernance(projects[0]!.project, "examples/projects/acme-erp.yaml");
    for (const env of plan.environments) expect(env.secrets).toContain("ODOOOPS_BUILD_KEY");
  });

  it("takes build keys set with --secret --path, or the whole object as one secret", () => {
    expect(
      stackFile(
        "  odooops-app:buildKeys:",
        "    acme-erp:",
        "      development:",
        "        secure: v1:AAAABBBB",
        "      staging:",
        "        secure: v1:CCCCDDDD",
        "    hello:",
        "      staging: { secure: v1:EEEE }",
      ).problems,
    ).toEqual([]);
    expect(stackFile("  odooops-app:buildKeys: { secure: v1:AAAABBBB }").problems).toEqual([]);
  });

  it.each([
    [
      "a plain key beside secret ones",
      ["    acme-erp:", `      staging: ${KEY}`, "      production: { secure: v1:AA }"],
    ],
    ["a plain object", [`    acme-erp: { staging: ${KEY} }`]],
  ])("refuses %s, located, without quoting it", (_, lines) => {
    const read = stackFile("  odooops-app:buildKeys:", ...lines);
    expect(read.settings).toBeUndefined();
    expect(messages(read)).toEqual([
      `/stacks/Pulumi.prod.yaml:5:3 odooops-app:buildKeys: must hold Pulumi secrets only, never plain text in the stack file (it ends up in Git): ${storeBuildKeyCommand("<project>", "<stage>")} and paste the key at its prompt`,
    ]);
    expect(messages(read).join("\n")).not.toContain(KEY);
  });

  it("refuses the retired service-role entry, with what replaces it", () => {
    const read = stackFile("  odooops-app:controlPlaneKey: { secure: v1:AAAA }");
    expect(messages(read)).toEqual([
      expect.stringMatching(
        /Pulumi\.prod\.yaml:5:3 odooops-app:controlPlaneKey: is no longer given to app repositories .*pulumi config rm odooops-app:controlPlaneKey.*rotate the service-role key/,
      ),
    ]);
  });

  it("reads the decrypted object as the program gets it, and names mistakes by place only", () => {
    expect(parseBuildKeys(undefined)).toEqual({ keys: {}, problems: [] });
    expect(parseBuildKeys({ "acme-erp": { staging: ` ${KEY}\n`, production: KEY } })).toEqual({
      keys: { "acme-erp": { staging: KEY, production: KEY } },
      problems: [],
    });
    const bad = parseBuildKeys({
      "acme-erp": { staging: "eyJhbGciOiJIUzI1NiJ9.service-role", preview: KEY },
      Bad_Name: { staging: KEY },
      hello: "odooops_bk_short",
    });
    expect(bad.problems).toEqual([
      `odooops-app:buildKeys.acme-erp.staging is not a build key (odooops_bk_…): create one with odooops build-key create acme-erp --stage staging, then ${storeBuildKeyCommand("acme-erp", "staging")}`,
      "odooops-app:buildKeys.acme-erp.preview: unknown stage; one of production, staging, development",
      'odooops-app:buildKeys.Bad_Name: "Bad_Name" is not a project name',
      "odooops-app:buildKeys.hello must map stages (production, staging, development) to build keys",
    ]);
    expect(bad.problems.join("\n")).not.toMatch(/eyJ|odooops_bk_short|odooops_bk_Ab9/);
    expect(parseBuildKeys("odooops_bk_x").problems).toEqual([
      "odooops-app:buildKeys must map project names to { <stage>: <build key> }",
    ]);
  });

  it("knows the key format the control plane creates", () => {
    expect(BUILD_KEY_PATTERN.test(KEY)).toBe(true);
    expect(BUILD_KEY_PATTERN.test(`${KEY}=`)).toBe(false);
    expect(BUILD_KEY_PATTERN.test(KEY.replace("odooops_bk_", "odooops_xx_"))).toBe(false);
  });
});
