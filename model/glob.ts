/**
 * Branch patterns, with the semantics GitHub uses for deployment branch policies (fnmatch with
 * FNM_PATHNAME): `*` matches any run of characters except `/`, `**` matches any run including `/`,
 * `?` matches one character except `/`. Everything else is literal. Using GitHub's semantics here means
 * the environments odooops creates and the branch policies it writes to GitHub agree on every branch.
 */

type Token = { kind: "literal"; char: string } | { kind: "star" } | { kind: "globstar" } | { kind: "any" };

export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*" && pattern[i + 1] === "*") {
      tokens.push({ kind: "globstar" });
      i++;
    } else if (char === "*") tokens.push({ kind: "star" });
    else if (char === "?") tokens.push({ kind: "any" });
    else tokens.push({ kind: "literal", char });
  }
  return tokens;
}

export function isLiteralPattern(pattern: string): boolean {
  return tokenize(pattern).every((t) => t.kind === "literal");
}

/** An NFA state is a position in the token list; wildcard stars loop on themselves. */
function step(tokens: Token[], states: ReadonlySet<number>, char: string): Set<number> {
  const next = new Set<number>();
  for (const s of states) {
    const token = tokens[s];
    if (!token) continue;
    if (token.kind === "literal" && token.char === char) next.add(s + 1);
    if (token.kind === "any" && char !== "/") next.add(s + 1);
    if (token.kind === "star" && char !== "/") next.add(s);
    if (token.kind === "globstar") next.add(s);
  }
  return closure(tokens, next);
}

/** Stars may also match nothing: a state on a star also stands on the token after it. */
function closure(tokens: Token[], states: Set<number>): Set<number> {
  const out = new Set(states);
  for (const s of states) {
    let i = s;
    while (tokens[i]?.kind === "star" || tokens[i]?.kind === "globstar") {
      i++;
      out.add(i);
    }
  }
  return out;
}

function accepts(tokens: Token[], states: ReadonlySet<number>): boolean {
  return states.has(tokens.length);
}

export function matchesPattern(pattern: string, branch: string): boolean {
  const tokens = tokenize(pattern);
  let states = closure(tokens, new Set([0]));
  for (const char of branch) {
    states = step(tokens, states, char);
    if (states.size === 0) return false;
  }
  return accepts(tokens, states);
}

/**
 * A branch name that `pattern` matches and none of `earlier` does, or undefined when every branch the
 * pattern matches is already taken by an earlier pattern (the rule is shadowed and can never apply).
 * Breadth-first search over the product of the NFAs; the alphabet is the literal characters of all
 * patterns, `/`, and one stand-in for "any other character".
 */
export function witnessNotCoveredBy(pattern: string, earlier: readonly string[]): string | undefined {
  const target = tokenize(pattern);
  const others = earlier.map(tokenize);
  const literals = new Set<string>(["/"]);
  for (const tokens of [target, ...others])
    for (const t of tokens) if (t.kind === "literal") literals.add(t.char);
  // A character no pattern names literally; NUL never appears in a pattern.
  const otherChar = "\u0000";
  const alphabet = [...literals, otherChar];

  type Node = { target: Set<number>; others: Set<number>[]; word: string };
  const key = (n: Node) =>
    `${[...n.target].sort().join(",")}|${n.others.map((o) => [...o].sort().join(",")).join("|")}`;
  const start: Node = {
    target: closure(target, new Set([0])),
    others: others.map((tokens) => closure(tokens, new Set([0]))),
    word: "",
  };
  const seen = new Set([key(start)]);
  const queue: Node[] = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (accepts(target, node.target) && node.others.every((o, i) => !accepts(others[i]!, o))) {
      const shown = [..."xyzqk0123456789"].find((c) => !literals.has(c)) ?? "x";
      return node.word.replaceAll(otherChar, shown);
    }
    for (const char of alphabet) {
      const nextTarget = step(target, node.target, char);
      if (nextTarget.size === 0) continue;
      const next: Node = {
        target: nextTarget,
        others: node.others.map((o, i) => step(others[i]!, o, char)),
        word: node.word + char,
      };
      const k = key(next);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(next);
      }
    }
  }
  return undefined;
}
