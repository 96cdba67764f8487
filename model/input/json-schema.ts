import { z } from "zod";
import { projectSchema } from "./schema/project.ts";

/** The JSON Schema editors use for projects/*.yaml, generated from the zod schema (one source). */
export function projectJsonSchema(): string {
  const schema = z.toJSONSchema(projectSchema, { io: "input", target: "draft-2020-12" });
  return `${JSON.stringify({ ...schema, title: "odooops project" }, null, 2)}\n`;
}
