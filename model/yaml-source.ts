import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { PathSegment, Problem } from "./problem.ts";

/** A parsed YAML file that can say where any field path sits in the text. */
export class YamlSource {
  readonly lineCounter = new LineCounter();
  readonly document: Document.Parsed;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.document = parseDocument(text, {
      lineCounter: this.lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
    });
  }

  /** Syntax errors, duplicate keys and YAML warnings, each located. */
  syntaxProblems(): Problem[] {
    return [...this.document.errors, ...this.document.warnings].map((error) => {
      const offset = error.pos[0];
      const { line, col } = this.lineCounter.linePos(offset);
      const message =
        error.code === "DUPLICATE_KEY"
          ? `duplicate key ${this.keyAt(offset)}; each key may appear once in a mapping, remove or rename one`
          : `YAML syntax error: ${error.message.split("\n")[0]}`;
      return { file: this.file, line, col, path: "", message };
    });
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
