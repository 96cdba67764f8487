import { formatPath, type PathSegment, type Problem } from "../problem.ts";
import { allowedKeysAt } from "../schema-keys.ts";
import { YamlSource } from "../yaml-source.ts";
import { describeIssue } from "../zod-issues.ts";
import { type SmokeConfig, smokeConfigSchema } from "./config.ts";

/** A smoke test file, or its problems located as `file:line:col path: message`. */
export function parseSmokeConfig(file: string, text: string): { config?: SmokeConfig; problems: Problem[] } {
  const source = new YamlSource(file, text, 64 * 1024);
  const at = (path: readonly PathSegment[], message: string, preferKey = false): Problem => ({
    file,
    ...source.locate(path, preferKey),
    path: formatPath(path),
    message,
  });
  const read = source.toValue();
  if (read.problems.length > 0) return { problems: read.problems };
  const parsed = smokeConfigSchema.safeParse(read.value ?? {});
  if (parsed.success) return { config: parsed.data, problems: [] };
  return {
    problems: parsed.error.issues.flatMap((issue) =>
      describeIssue(issue, read.value, (path) => allowedKeysAt(smokeConfigSchema, path)).map((d) =>
        at(d.path, d.message, d.atKey),
      ),
    ),
  };
}
