import { Cron } from "croner";
import { z } from "zod";
import { DNS_NAME_PATTERN } from "../../naming.ts";
import { visible } from "./visible-text.ts";

/** Project names become DNS labels, database names and GitHub team names, so they stay short and plain. */
export const projectName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,28}[a-z0-9]$/, {
    error: "must be 2–30 characters of a-z, 0-9 and inner hyphens, starting with a letter (e.g. acme-erp)",
  })
  .describe("Project name: a DNS label, also the file name projects/<name>.yaml");

export const githubRepo = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, {
  error: "must be owner/name of a GitHub repository, e.g. acme/acme-erp",
});

export const githubUser = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, {
  error: "must be a GitHub login (letters, digits, single hyphens, ≤ 39 characters)",
});

export const githubTeam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, {
  error: "must be a GitHub team slug (lowercase letters, digits, - and _)",
});

export const domainName = z.string().regex(DNS_NAME_PATTERN, {
  error: "must be a lowercase DNS name such as erp.acme.example",
});

/** A branch pattern: characters git allows in ref names, plus the wildcards `*`, `**` and `?`. */
export const branchPattern = z
  .string()
  .min(1)
  .max(200)
  .regex(/^(?!\/)(?!.*\/\/)(?!.*\/$)[A-Za-z0-9._\-/*?]+$/, {
    error: "must be a branch name or pattern of letters, digits, . _ - / and the wildcards * ** ?",
  });

/** A branch name as git allows it (no spaces, `..`, `~^:?*[\` or control characters), and visibly itself. */
export const branchName = visible(
  z
    .string()
    .min(1)
    .max(255)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: git forbids control characters in ref names
    .regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)(?!.*\/$)(?!.*\.lock$)[^\s~^:?*[\\\u0000-\u001f\u007f]+$/, {
      error: "must be a valid git branch name",
    }),
);

export const imageReference = z
  .string()
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    { error: "must be a container image reference, e.g. ghcr.io/acme/acme-erp@sha256:<64 hex digits>" },
  );

export const cidr = z.union([z.cidrv4(), z.cidrv6()], {
  error: "must be a CIDR block such as 203.0.113.0/24 or 2001:db8::/48",
});

export const cronExpression = z.string().refine(
  (text) => {
    try {
      new Cron(text, { paused: true });
      return text.trim().split(/\s+/).length === 5;
    } catch {
      return false;
    }
  },
  { error: 'must be a 5-field cron expression (minute hour day month weekday), e.g. "0 2 * * *"' },
);

/** Lists whose entries must be distinct: a repeated entry is almost always a copy-paste slip. */
export function uniqueList<T extends z.ZodType<string>>(item: T) {
  return z.array(item).superRefine((list, ctx) => {
    list.forEach((value, index) => {
      if (list.indexOf(value) !== index)
        ctx.addIssue({ code: "custom", path: [index], message: `"${value}" is listed twice; remove one` });
    });
  });
}
