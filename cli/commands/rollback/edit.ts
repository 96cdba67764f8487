import { isScalar, parseDocument } from "yaml";
import { UsageError } from "../../io.ts";

/** The field a rollback changes. */
export const PRODUCTION_IMAGE_PATH = ["environments", "production", "image"] as const;

/**
 * The project file's text with only the production image replaced: the scalar's bytes are spliced in
 * place, so comments, key order, flow style and quoting of everything else stay exactly as written.
 */
export function replaceProductionImage(text: string, image: string): string {
  const document = parseDocument(text, { keepSourceTokens: true });
  const node = document.getIn(PRODUCTION_IMAGE_PATH, true);
  const inline = ["PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"];
  if (!isScalar(node) || !node.range || !inline.includes(String(node.type)))
    throw new UsageError(`${PRODUCTION_IMAGE_PATH.join(".")} is not a one-line value in this file`);
  const [start, valueEnd] = node.range;
  const quote = node.type === "QUOTE_DOUBLE" ? '"' : node.type === "QUOTE_SINGLE" ? "'" : "";
  return `${text.slice(0, start)}${quote}${image}${quote}${text.slice(valueEnd)}`;
}
