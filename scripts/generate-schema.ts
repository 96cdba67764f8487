// Writes projects/schema.json from the zod schema; a test fails when the committed file is stale.
import { writeFileSync } from "node:fs";
import { projectJsonSchema } from "../model/input/json-schema.ts";

writeFileSync("projects/schema.json", projectJsonSchema());
console.log("wrote projects/schema.json");
