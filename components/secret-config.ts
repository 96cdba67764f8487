import * as pulumi from "@pulumi/pulumi";

/**
 * A JSON object of keys from stack config (build keys, agent keys), decrypted as the engine hands it over,
 * checked by `parse` (model/). Read as plain config, since whether a key exists decides what is created;
 * each value is wrapped as a secret again where it is used. A malformed entry stops the update, named by
 * its place, never by its value — hence not config.getObject, whose error for non-JSON quotes the value.
 */
export function readKeysConfig<K>(
  config: pulumi.Config,
  key: string,
  parse: (raw: unknown) => { keys: K; problems: string[] },
): K {
  const text = config.get(key);
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : JSON.parse(text);
  } catch {
    raw = text; // a bare string: parse says what shape it needs
  }
  const { keys, problems } = parse(raw);
  if (problems.length > 0) throw new pulumi.RunError(problems.join("\n"));
  return keys;
}
