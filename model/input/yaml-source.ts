import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  parseDocument,
  visit,
} from "yaml";
import type { PathSegment, Problem } from "../problem.ts";

/**
 * Project files are a few kilobytes; anything far larger is a mistake or an attempt to exhaust the
 * parser, and is refused before it is parsed.
 */
export const MAX_PROJECT_FILE_CHARS = 256 * 1024;
/** Alias expansions allowed when building the value: enough for real reuse, far below a "billion laughs". */
export const MAX_ALIAS_COUNT = 100;

const TOO_DEEP = "the YAML nests too deeply to be a project file; flatten it";

/**
 * Deeper nesting than any real file has: the yaml library can exhaust the stack, or worse the heap, on
 * thousands of levels, so such text is refused before parsing. Counted cheaply and never over: block
 * sequence or mapping indicators opening one line (`- - - x`), and the depth of flow collections (`[[[`)
 * outside quotes and comments, which starts again at every line that begins at column 0.
 */
const MAX_NESTING = 256;

/** The offset of the first line where the nesting passes MAX_NESTING, if any. */
function overNestedLine(text: string): number | undefined {
  let offset = 0;
  let depth = 0;
  for (const line of text.split("\n")) {
    if (/^[^\s\]}]/.test(line)) depth = 0;
    const block = /^\s*((?:[-?]\s+)+)/.exec(line)?.[1]?.replace(/\s+/g, "").length ?? 0;
    let quote: string | undefined;
    for (let i = 0; i < line.length && depth <= MAX_NESTING; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) break;
      else if (c === "[" || c === "{") depth++;
      else if ((c === "]" || c === "}") && depth > 0) depth--;
    }
    if (block > MAX_NESTING || depth > MAX_NESTING) return offset;
    offset += line.length + 1;
  }
  return undefined;
}

/** A parsed YAML file that can say where any field path sits in the text. */
export class YamlSource {
  readonly lineCounter = new LineCounter();
  readonly document: Document.Parsed;
  /** Where the text nests beyond what the parser survives (thousands of `- ` or `[`): TOO_DEEP there. */
  private readonly tooDeepAt: number | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    /** Longest text parsed; a longer one is refused as a whole (see syntaxProblems). */
    readonly maxChars = Number.POSITIVE_INFINITY,
  ) {
    const options = { lineCounter: this.lineCounter, uniqueKeys: true, prettyErrors: false };
    const parsed = text.length > maxChars ? "" : text;
    try {
      this.tooDeepAt = overNestedLine(parsed);
      this.document = parseDocument(this.tooDeepAt === undefined ? parsed : "", options);
    } catch (error) {
      // The yaml library's composer recurses per nesting level; how deep it gets before the stack
      // runs out depends on the thread (a test worker has less stack than the CLI), so catch it here.
      if (!(error instanceof RangeError)) throw error;
      this.document = parseDocument("", options);
      this.tooDeepAt = 0;
    }
  }

  /**
   * The file's value as plain data, or the problems that stop it from having one. Every way the yaml
   * library can refuse a file (syntax, tabs, bad escapes, duplicate keys, nesting too deep, aliases that
   * are unresolved, loop or expand too much) comes back located, never as an exception.
   */
  toValue(): { value?: unknown; problems: Problem[] } {
    const syntax = this.syntaxProblems();
    if (syntax.length > 0) return { problems: syntax };
    try {
      const aliases = this.aliasProblems();
      if (aliases.length > 0) return { problems: aliases };
      return { value: this.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems: [] };
    } catch (error) {
      if (error instanceof RangeError) return { problems: [this.problemAt(0, TOO_DEEP)] };
      const excessive = error instanceof Error && /alias/i.test(error.message);
      const message = excessive
        ? `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} expansions); write the values out instead of nesting aliases`
        : `the YAML cannot be read as data: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
      return { problems: [this.problemAt(this.firstAliasOffset() ?? 0, message)] };
    }
  }

  /** Syntax errors, duplicate keys and YAML warnings, each located. */
  syntaxProblems(): Problem[] {
    if (this.tooDeepAt !== undefined) {
      // The text was not parsed, so the line counter knows no lines: count them here.
      const line = this.text.slice(0, this.tooDeepAt).split("\n").length;
      return [{ file: this.file, line, col: 1, path: "", message: TOO_DEEP }];
    }
    if (this.text.length > this.maxChars)
      return [
        this.problemAt(
          0,
          `the file has ${this.text.length} characters, more than the ${this.maxChars} it may have; remove what is not needed`,
        ),
      ];
    return [...this.document.errors, ...this.document.warnings].map((error) => {
      const offset = error.pos[0];
      const message =
        error.code === "DUPLICATE_KEY"
          ? `duplicate key ${this.keyAt(offset)}; each key may appear once in a mapping, remove or rename one`
          : error.code === "RESOURCE_EXHAUSTION"
            ? TOO_DEEP
            : `YAML syntax error: ${error.message.split("\n")[0]}`;
      return this.problemAt(offset, message);
    });
  }

  /**
   * Aliases that name no earlier anchor, or that sit inside the node their anchor marks (a value that
   * contains itself). The yaml library throws on the first and builds a circular value for the second.
   */
  private aliasProblems(): Problem[] {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    visit(this.document, (_key, node, path) => {
      if (isAlias(node)) {
        const at = node.range?.[0] ?? 0;
        if (!seen.has(node.source))
          problems.push(
            this.problemAt(
              at,
              `alias *${node.source} is used before any anchor &${node.source} defines it; define the anchor first or write the value out`,
            ),
          );
        else if (path.some((p) => isNode(p) && !isAlias(p) && p.anchor === node.source))
          problems.push(
            this.problemAt(
              at,
              `alias *${node.source} is inside the node its anchor &${node.source} marks, so the value would contain itself; remove the alias`,
            ),
          );
      } else if (isNode(node) && node.anchor) seen.add(node.anchor);
    });
    return problems;
  }

  /** Every comment of the file with its offset, from the parser's concrete syntax tree. */
  comments(): { offset: number; text: string }[] {
    // A file refused as too long or too deeply nested is never handed to the parser again: its
    // block-sequence parser recurses per level and would overflow the stack here.
    if (this.text.length > this.maxChars || this.tooDeepAt !== undefined) return [];
    const found: { offset: number; text: string }[] = [];
    // An explicit stack, not recursion: a hostile file may nest thousands of levels deep.
    let tokens: unknown[];
    try {
      tokens = [...new Parser().parse(this.text)];
    } catch (error) {
      if (error instanceof RangeError) return [];
      throw error;
    }
    const pending: unknown[] = tokens;
    while (pending.length > 0) {
      const token = pending.pop();
      if (token === null || typeof token !== "object") continue;
      const t = token as { type?: unknown; offset?: unknown; source?: unknown };
      if (t.type === "comment" && typeof t.offset === "number" && typeof t.source === "string")
        found.push({ offset: t.offset, text: t.source });
      else for (const child of Array.isArray(token) ? token : Object.values(token)) pending.push(child);
    }
    return found.sort((x, y) => x.offset - y.offset);
  }

  /** Located problems for comments that `judge` objects to. */
  commentProblems(judge: (text: string) => string | undefined): Problem[] {
    return this.comments().flatMap(({ offset, text }) => {
      const why = judge(text);
      return why ? [this.problemAt(offset, why)] : [];
    });
  }

  private firstAliasOffset(): number | undefined {
    let offset: number | undefined;
    visit(this.document, {
      Alias: (_key, node) => {
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
    return offset;
  }

  private problemAt(offset: number, message: string): Problem {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, col, path: "", message };
  }

  private keyAt(offset: number): string {
    const rest = this.text.slice(offset);
    const key = /^["']?([^"':\n]+)/.exec(rest)?.[1]?.trim();
    return key ? `"${key}"` : "";
  }

  /**
   * Line and column of a field path: the value when it exists, else the key, else the nearest
   * enclosing node that exists (a missing field points at the mapping that lacks it).
   */
  locate(path: readonly PathSegment[], preferKey = false): { line: number; col: number } {
    let node: unknown = this.document.contents;
    let position = this.offsetOf(node) ?? 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair) break;
        const last = segment === path[path.length - 1];
        const keyOffset = this.offsetOf(pair.key);
        node = pair.value;
        position = (last && preferKey ? keyOffset : (this.offsetOf(node) ?? keyOffset)) ?? position;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
        node = node.items[segment];
        position = this.offsetOf(node) ?? position;
      } else break;
    }
    return this.lineCounter.linePos(position);
  }

  private offsetOf(node: unknown): number | undefined {
    return (node as Node | null)?.range?.[0];
  }
}
