import { odooConfOption, smtpHostFromEnv } from "./odoo-options.ts";

/**
 * Recognizing the containers of an environment from their docker provider inputs: Odoo is the
 * container that gets an odoo.conf, Mailpit the one running the axllent/mailpit image. Unknown parts
 * (values only known after deployment) arrive here as undefined.
 */
export interface ContainerFacts {
  name: string | undefined;
  image: string | undefined;
  hostname?: string | undefined;
  aliases?: readonly string[] | undefined;
  envs?: readonly string[] | undefined;
  uploads?: readonly { file?: string | undefined; content?: string | undefined }[] | undefined;
}

const ODOO_CONF = /(^|\/)odoo\.conf$/;

export function isOdooContainer(c: ContainerFacts): boolean {
  if (c.uploads?.some((u) => u.file !== undefined && ODOO_CONF.test(u.file))) return true;
  return c.name !== undefined && /^odoo(-|$)/.test(c.name);
}

export function isMailpitContainer(c: ContainerFacts): boolean {
  if (c.image !== undefined && /(^|\/)axllent\/mailpit([:@]|$)/.test(c.image)) return true;
  return c.name !== undefined && /^mailpit(-|$)/.test(c.name);
}

/**
 * Every statement of where Odoo sends mail that can be read now: `smtp_server` of its odoo.conf (null
 * when the file names none: Odoo then uses localhost:25) and the SMTP target in its environment. Parts
 * only known at deploy time are left out; an empty list means nothing can be checked yet.
 */
export function smtpTargets(c: ContainerFacts): (string | null)[] {
  const targets: (string | null)[] = [];
  const conf = c.uploads?.find((u) => u.file !== undefined && ODOO_CONF.test(u.file));
  if (conf?.content !== undefined) targets.push(odooConfOption(conf.content, "smtp_server") ?? null);
  const fromEnv = smtpHostFromEnv(c.envs ?? []);
  if (fromEnv !== undefined) targets.push(fromEnv);
  return targets;
}

/** The names other containers reach a container by on a Docker network. */
export function networkNames(c: ContainerFacts): string[] {
  return [c.name, c.hostname, ...(c.aliases ?? [])].filter((n): n is string => n !== undefined && n !== "");
}
