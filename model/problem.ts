/** A mistake in a user's file, located precisely enough to fix without reading code. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** Field path such as `branches[2].stage`; empty for the whole document. */
  path: string;
  message: string;
}

export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) out = appendPath(out, segment);
  return out;
}

/** `formatPath([...path, segment])` given `formatPath(path)`: for walks that extend a path step by step. */
export function appendPath(formatted: string, segment: PathSegment): string {
  if (typeof segment === "number") return `${formatted}[${segment}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return formatted ? `${formatted}.${segment}` : segment;
  return `${formatted}[${JSON.stringify(segment)}]`;
}

export function formatProblem(p: Problem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where} ${p.message}`;
}

/** Thrown only for input mistakes; the CLI prints the problems and exits 2, never a stack trace. */
export class InputError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "InputError";
  }
}
