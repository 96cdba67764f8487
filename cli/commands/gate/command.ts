import type { Command } from "commander";
import { z } from "zod";
import type { GateSignature } from "../../../controlplane/records.ts";
import type { EvidenceInput } from "../../../controlplane/types.ts";
import { EVIDENCE_KINDS, GATE_IDS } from "../../../model/governance/gates.ts";
import type { CommandContext } from "../../context.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  withSessionOptions,
} from "../control-plane/session.ts";
import { releaseRef } from "../release/command.ts";

const gateId = z.enum(GATE_IDS, { error: "must be G1, G2, G3 or G4" });

/** `--evidence kind=uri`: an evidence kind of the gates and where the artifact lives. */
const evidenceItem = z
  .string()
  .regex(/^[a-z_]+=[a-z][a-z0-9+.-]*:\/\/\S+$/, {
    error: "must be kind=uri, e.g. test_evidence=https://ci.example/runs/42",
  })
  .transform((text): EvidenceInput => {
    const at = text.indexOf("=");
    return { kind: text.slice(0, at), uri: text.slice(at + 1) };
  })
  .refine((e) => EVIDENCE_KINDS.includes(e.kind), {
    error: `the kind must be one of ${EVIDENCE_KINDS.join(", ")}`,
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function renderSignature(s: GateSignature): string {
  const how = s.outcome === "excepted" ? `under exception ${s.exception}` : "with its evidence";
  const next = s.nextGate ? `next: ${s.nextGate}` : "every gate has passed";
  return `${s.gate} of ${s.release} passed ${how} in ${s.stage}, signed by ${s.signedBy}; ${next}`;
}

export function registerGate(program: Command, context: CommandContext): void {
  const gate = program.command("gate").description("Sign release gates G1 → G4 (control plane)");
  withSessionOptions(
    gate
      .command("sign")
      .description(
        "Sign a gate, attaching evidence in the same transaction; refused out of order, without evidence " +
          "(unless an approved exception covers the gate) or by the wrong persona",
      )
      .argument("<project>", "project name")
      .argument("<release>", "release name")
      .argument("<gate>", "G1, G2, G3 or G4")
      .option("--evidence <kind=uri>", "evidence to attach first (repeatable)", collect, []),
  ).action(
    async (
      project: string,
      name: string,
      gateArg: string,
      options: SessionOptions & { evidence: string[] },
    ) => {
      const ref = releaseRef(project, name);
      const id = parseInput(gateId, gateArg, "gate");
      const evidence = options.evidence.map((item, i) =>
        parseInput(evidenceItem, item, `--evidence #${i + 1}`),
      );
      await runWithControlPlane(
        context,
        options,
        (cp) => cp.signGate({ ...ref, gate: id, evidence }),
        renderSignature,
      );
    },
  );
}
