/**
 * What gives a credential away wherever it is written, in a value or a YAML comment: a known token
 * format, a password inside a URL, or a key named like a secret. model/rules/secrets.ts applies these
 * to component inputs; the loader applies the formats to comments, which travel in Git just the same.
 */
const CREDENTIAL_FORMATS: readonly { name: string; pattern: RegExp }[] = [
  { name: "a GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { name: "a GitLab token", pattern: /\bgl(pat|dt|rt|ptt|cbt|soat)-[A-Za-z0-9_-]{20,}/ },
  { name: "an AWS access key id", pattern: /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/ },
  { name: "a DigitalOcean token", pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/ },
  { name: "a Slack token", pattern: /\bxox[a-z]-[A-Za-z0-9-]{10,}/ },
  { name: "a Stripe live key", pattern: /\b[rsp]k_live_[A-Za-z0-9]{20,}/ },
  { name: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: "a Supabase access token", pattern: /\bsbp_[a-f0-9]{40}\b/ },
  { name: "a private key", pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/ },
];

/**
 * `scheme://user:password@host`, also with an empty user (`redis://:password@host`). A password that
 * only refers to a secret (`${DB_PASSWORD}`) is not one.
 */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@]+)@/gi;

/**
 * The words of a key name (`admin_passwd`, `smtpPassword`, `API-Key`), lower case. A key announces a
 * secret when its last word does (`_pwd`, `_passwd`, `_pass`, `_token`, `_secret` …), or its last two
 * (`api_key`, `private_key`); `bypass` or `tokenizer` do not.
 */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}
const SECRET_WORDS = new Set([
  "pwd",
  "passwd",
  "pass",
  "password",
  "passphrase",
  "secret",
  "token",
  "apikey",
  "credential",
  "credentials",
]);
const SECRET_WORD_PAIRS = new Set(["api key", "access key", "private key", "secret key", "auth key"]);

export function isSecretKeyName(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  const singular = last.replace(/s$/, "");
  return (
    SECRET_WORDS.has(last) ||
    SECRET_WORDS.has(singular) ||
    SECRET_WORD_PAIRS.has([...words.slice(-2, -1), singular].join(" "))
  );
}
/** Values that point at a secret instead of being one: `${DB_PASSWORD}`, `$TOKEN`, `<set me>`. */
const REFERENCE = /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^>]*>)$/;

export function isReference(text: string): boolean {
  return REFERENCE.test(text);
}

/** Why `text` holds a credential whatever field it sits in (a known token format, a password in a URL). */
export function credentialIn(text: string): string | undefined {
  const format = CREDENTIAL_FORMATS.find((f) => f.pattern.test(text));
  if (format) return `holds ${format.name}`;
  for (const match of text.matchAll(URL_CREDENTIALS))
    if (!REFERENCE.test(match[1]!)) return "holds a URL with a password in it";
  return undefined;
}
