import { type Catalog, catalogSchema } from "./catalog.ts";
import { formatPath, type Problem } from "./problem.ts";
import { readFailure, readFromDisk } from "./read-text.ts";
import { allowedKeysAt } from "./schema-keys.ts";
import { YamlSource } from "./yaml-source.ts";
import { describeIssue } from "./zod-issues.ts";

/** Reads a build catalog file (JSON or YAML) with the same located errors as project files. */
export function loadCatalogFile(file: string): { catalog?: Catalog; problems: Problem[] } {
  let text: string;
  try {
    text = readFromDisk(file);
  } catch (error) {
    return {
      problems: [
        { file, line: 1, col: 1, path: "", message: `cannot read the build catalog: ${readFailure(error)}` },
      ],
    };
  }
  const source = new YamlSource(file, text);
  const syntax = source.syntaxProblems();
  if (syntax.length > 0) return { problems: syntax };
  const input: unknown = source.document.toJS();
  const parsed = catalogSchema.safeParse(input ?? {});
  if (parsed.success) return { catalog: parsed.data, problems: [] };
  const problems = parsed.error.issues.flatMap((issue) =>
    describeIssue(issue, input, (path) => allowedKeysAt(catalogSchema, path)).map((d) => ({
      file,
      ...source.locate(d.path, d.atKey),
      path: formatPath(d.path),
      message: d.message,
    })),
  );
  return { problems };
}
