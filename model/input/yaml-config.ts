import type { z } from "zod";
import { formatPath, type PathSegment, type Problem } from "../problem.ts";
import { allowedKeysAt } from "./schema-keys.ts";
import { YamlSource } from "./yaml-source.ts";
import { describeIssue } from "./zod-issues.ts";

/**
 * A small YAML configuration file (smoke tests, security exceptions) read against its zod schema, every
 * mistake located as `file:line:col path`, the way project files are (model/input/loader.ts).
 */
export function parseYamlConfig<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  maxChars = 64 * 1024,
): { value?: z.output<S>; problems: Problem[] } {
  const source = new YamlSource(file, text, maxChars);
  const at = (path: readonly PathSegment[], message: string, preferKey = false): Problem => ({
    file,
    ...source.locate(path, preferKey),
    path: formatPath(path),
    message,
  });
  const read = source.toValue();
  if (read.problems.length > 0) return { problems: read.problems };
  const parsed = schema.safeParse(read.value ?? {});
  if (parsed.success) return { value: parsed.data, problems: [] };
  return {
    problems: parsed.error.issues.flatMap((issue) =>
      describeIssue(issue, read.value, (path) => allowedKeysAt(schema, path)).map((d) =>
        at(d.path, d.message, d.atKey),
      ),
    ),
  };
}
