import { tokenize } from "../glob.ts";

/**
 * Branch rules as GitHub deployment branch policies.
 *
 * GitHub matches deployment branch policy names with Ruby's `File.fnmatch` and FNM_PATHNAME: `*` and
 * `?` never match `/`, and `**` crosses `/` only as a whole `**​/` segment (zero or more directories).
 * Our rules (model/glob.ts) let `**` match any run of characters, slashes included, anywhere in a
 * pattern. So `feature/**` written as-is would admit `feature/x` but not `feature/team/x` on GitHub.
 *
 * Every `**` of ours is exactly "no slash" ∪ "at least one slash", which fnmatch spells `*` and
 * `*​/**​/*`; a pattern with k globstars becomes at most 2^k fnmatch patterns whose union admits the
 * same branches as the rule. Literal patterns pass through unchanged.
 */
export function githubBranchPatterns(pattern: string): string[] {
  let variants = [""];
  for (const token of tokenize(pattern)) {
    const pieces =
      token.kind === "globstar"
        ? ["*", "*/**/*"]
        : [token.kind === "literal" ? token.char : token.kind === "star" ? "*" : "?"];
    variants = variants.flatMap((prefix) => pieces.map((piece) => append(prefix, piece)));
  }
  return [...new Set(variants)];
}

/**
 * Adjacent stars collapse into one: besides being equivalent within a segment, this keeps a star that
 * ends up before `/` at a segment start from turning into fnmatch's recursive `**​/` by accident.
 */
function append(prefix: string, piece: string): string {
  return prefix.endsWith("*") && piece.startsWith("*") ? prefix + piece.slice(1) : prefix + piece;
}

/** The fnmatch patterns for a list of rule patterns, in rule order, without duplicates. */
export function githubBranchPatternsFor(patterns: readonly string[]): string[] {
  return [...new Set(patterns.flatMap(githubBranchPatterns))];
}
