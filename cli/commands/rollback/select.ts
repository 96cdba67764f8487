import type { PinnedImage } from "./history.ts";

/** The sha256 digest of an image reference, lowercase hex; undefined when it is pinned by tag only. */
export function imageDigest(image: string): string | undefined {
  return /@sha256:([a-f0-9]{64})$/.exec(image)?.[1];
}

/** What `--to` accepts: `previous`, or a digest as `sha256:<hex>`, `<hex>`, an image reference, or a prefix. */
export function digestQuery(to: string): string | undefined {
  if (to === "previous") return undefined;
  const hex = to
    .replace(/^.*@/, "")
    .replace(/^sha256:/, "")
    .toLowerCase();
  return /^[a-f0-9]{7,64}$/.test(hex) ? hex : "";
}

export type RollbackTarget =
  | { ok: true; image: string; pinnedBy: PinnedImage; current: PinnedImage | undefined }
  | { ok: false; reason: string };

/**
 * The image a rollback restores. `previous`: the newest earlier pin whose digest differs from the
 * current one (A → B → A rolls back to B, the release before the one running). A digest: the newest
 * pin with that digest — only images production actually ran, never an arbitrary one, which is what
 * a promotion PR is for.
 */
export function chooseRollbackTarget(
  history: readonly PinnedImage[],
  currentImage: string,
  to: string,
  file: string,
): RollbackTarget {
  const current = imageDigest(currentImage);
  const pinned = history.filter((h) => h.image !== undefined && imageDigest(h.image) !== undefined);
  const since = introducedBy(history, currentImage);
  const query = digestQuery(to);
  if (query === "")
    return {
      ok: false,
      reason: `--to "${to}" is neither "previous" nor a digest (sha256:<hex>, or at least 7 hex characters)`,
    };
  if (query === undefined) {
    const previous = pinned.find((h) => imageDigest(h.image!) !== current);
    if (!previous)
      return {
        ok: false,
        reason: `no earlier production digest in the history of ${file} (${history.length} commit(s) read); there is nothing to roll back to`,
      };
    return { ok: true, image: previous.image!, pinnedBy: previous, current: since };
  }
  const matches = pinned.filter((h) => imageDigest(h.image!)!.startsWith(query));
  const digests = new Set(matches.map((h) => imageDigest(h.image!)));
  if (digests.size === 0)
    return {
      ok: false,
      reason: `sha256:${query} was never the production image in the history of ${file}; rollback restores an earlier pin — promote a new image with a pull request instead`,
    };
  if (digests.size > 1)
    return {
      ok: false,
      reason: `"${to}" matches ${digests.size} digests in the history of ${file}; give more characters`,
    };
  const target = matches[0]!;
  if (imageDigest(target.image!) === current)
    return { ok: false, reason: `sha256:${imageDigest(target.image!)} is already the production image` };
  return { ok: true, image: target.image!, pinnedBy: target, current: since };
}

/** The commit that pinned the current image: the oldest of the newest run of commits that show it. */
function introducedBy(history: readonly PinnedImage[], image: string): PinnedImage | undefined {
  let since: PinnedImage | undefined;
  for (const entry of history) {
    if (entry.image === image) since = entry;
    else if (since) break;
  }
  return since;
}
