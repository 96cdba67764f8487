import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ALL_POLICIES, POLICY_PACK_NAME } from "../../policies/all.ts";
import { buildPolicyPack, POLICY_PACK_DIR } from "../../scripts/build-policy-pack.ts";

/**
 * The pack loads the way the Pulumi CLI loads it, without the CLI: compiled entry, started by
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory (what the `pulumi-analyzer-policy`
 * plugin script does), port read from stdout, then the Analyzer gRPC service asked what it holds and
 * to analyze resources.
 */
type AnalyzerPb = typeof import("@pulumi/pulumi/proto/analyzer_pb.js");
type AnalyzerGrpc = typeof import("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
type Diagnostic = InstanceType<AnalyzerPb["AnalyzeDiagnostic"]>;

// Everything gRPC from @pulumi/pulumi's own dependencies, as the CLI-side stubs use them.
const fromPulumi = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json"));
const pb: AnalyzerPb = fromPulumi("@pulumi/pulumi/proto/analyzer_pb.js");
const { AnalyzerClient }: AnalyzerGrpc = fromPulumi("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const grpc: typeof import("@grpc/grpc-js") = fromPulumi("@grpc/grpc-js");
const { Struct }: typeof import("google-protobuf/google/protobuf/struct_pb.js") = fromPulumi(
  "google-protobuf/google/protobuf/struct_pb.js",
);
const { Empty }: typeof import("google-protobuf/google/protobuf/empty_pb.js") = fromPulumi(
  "google-protobuf/google/protobuf/empty_pb.js",
);

let pack: ChildProcess;
let client: InstanceType<AnalyzerGrpc["AnalyzerClient"]>;

/** A unary gRPC call as a promise. */
function unary<Res>(invoke: (done: (err: Error | null, res?: Res) => void) => unknown): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    invoke((err, res) => (err || res === undefined ? reject(err ?? new Error("no response")) : resolve(res)));
  });
}

beforeAll(async () => {
  await buildPolicyPack();
  const runner = createRequire(join(POLICY_PACK_DIR, "package.json")).resolve(
    "@pulumi/pulumi/cmd/run-policy-pack",
  );
  // `pulumi-analyzer-policy <engine> .` with the pack directory as working directory.
  pack = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: POLICY_PACK_DIR, stdio: "pipe" });
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    pack.stdout!.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0]!.trim();
      if (out.includes("\n") && /^\d+$/.test(line)) resolve(line);
    });
    pack.stderr!.on("data", (chunk) => (err += chunk));
    pack.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
  });
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  if (pack?.pid) process.kill(pack.pid);
});

function resource(type: string, name: string, props: Record<string, unknown>, protect = false) {
  const options = new pb.AnalyzerResourceOptions();
  options.setProtect(protect);
  return {
    type,
    name,
    urn: `urn:pulumi:prod::odooops::${type}::${name}`,
    props: Struct.fromJavaScript(props as never),
    options,
  };
}

async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<Diagnostic[]> {
  const r = resource(type, name, props);
  const req = new pb.AnalyzeRequest();
  req.setType(r.type).setName(r.name).setUrn(r.urn).setProperties(r.props).setOptions(r.options);
  const res = await unary<InstanceType<AnalyzerPb["AnalyzeResponse"]>>((done) => client.analyze(req, done));
  return res.getDiagnosticsList();
}

describe("the policy pack as the Pulumi CLI runs it", () => {
  it("is a nodejs pack whose package.json names the compiled entry", () => {
    const manifest = parse(readFileSync(join(POLICY_PACK_DIR, "PulumiPolicy.yaml"), "utf8"));
    expect(manifest.runtime).toBe("nodejs");
    const pkg = JSON.parse(readFileSync(join(POLICY_PACK_DIR, "package.json"), "utf8"));
    expect(pkg.main).toBe("bin/index.cjs");
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("serves every policy with its enforcement level", async () => {
    const info = await unary<InstanceType<AnalyzerPb["AnalyzerInfo"]>>((done) =>
      client.getAnalyzerInfo(new Empty(), done),
    );
    expect(info.getName()).toBe(POLICY_PACK_NAME);
    const served = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]);
    const level = { mandatory: pb.EnforcementLevel.MANDATORY, advisory: pb.EnforcementLevel.ADVISORY };
    expect(served).toEqual(
      ALL_POLICIES.map((p) => [p.name, level[p.enforcementLevel as keyof typeof level]]),
    );
    expect(served.every(([name]) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(String(name)))).toBe(true);
  });

  it("refuses a firewall that opens SSH to the world, and passes one that does not", async () => {
    const rule = (source: string) => ({ protocol: "tcp", portRange: "22", sourceAddresses: [source] });
    const open = await analyze("digitalocean:index/firewall:Firewall", "fw", {
      inboundRules: [rule("0.0.0.0/0")],
    });
    expect(open.map((d) => [d.getPolicyname(), d.getEnforcementlevel()])).toEqual([
      ["ssh-not-open-to-world", pb.EnforcementLevel.MANDATORY],
    ]);
    expect(open[0]!.getMessage()).toMatch(/admits SSH \(port 22\) from 0\.0\.0\.0\/0[\s\S]*fix: /);
    expect(
      await analyze("digitalocean:index/firewall:Firewall", "fw", { inboundRules: [rule("203.0.113.0/28")] }),
    ).toEqual([]);
  });

  it("runs stack policies: an unprotected production database is refused", async () => {
    const cluster = resource(
      "digitalocean:index/databaseCluster:DatabaseCluster",
      "shop-db",
      { tags: ["odooops:project:shop", "odooops:stage:production"] },
      false,
    );
    const r = new pb.AnalyzerResource();
    r.setType(cluster.type)
      .setName(cluster.name)
      .setUrn(cluster.urn)
      .setProperties(cluster.props)
      .setOptions(cluster.options);
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList([r]);
    const res = await unary<InstanceType<AnalyzerPb["AnalyzeResponse"]>>((done) =>
      client.analyzeStack(req, done),
    );
    expect(res.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getUrn()])).toEqual([
      ["production-database-protected", cluster.urn],
    ]);
  });
});

describe("the pack's README", () => {
  it("lists every policy with its level", () => {
    const readme = readFileSync(join(POLICY_PACK_DIR, "README.md"), "utf8");
    for (const p of ALL_POLICIES) expect(readme).toContain(`| \`${p.name}\` | ${p.enforcementLevel} |`);
  });
});
