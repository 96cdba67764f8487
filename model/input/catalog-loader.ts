import { formatPath, type Problem } from "../problem.ts";
import { type Catalog, catalogSchema } from "./catalog.ts";
import { commentProblem } from "./loader.ts";
import { readFailure, readFromDisk } from "./read-text.ts";
import { invisibleCharacterFindings } from "./schema/visible-text.ts";
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
  const read = source.toValue();
  const comments = source.commentProblems(commentProblem);
  if (read.problems.length > 0 || comments.length > 0) return { problems: [...read.problems, ...comments] };
  const input = read.value;
  const invisible = invisibleCharacterFindings(input);
  if (invisible.length > 0)
    return {
      problems: invisible.map((f) => ({
        file,
        ...source.locate(f.path),
        path: formatPath(f.path),
        message: f.message,
      })),
    };
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
