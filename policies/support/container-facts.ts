import type { ContainerFacts } from "../../model/rules/containers.ts";
import { known, type Props, records, strings, text } from "./resources.ts";

/** A docker.Container's inputs as model/rules/containers.ts reads them; unknown parts stay undefined. */
export function containerFacts(props: Props): ContainerFacts {
  return {
    name: known(() => text(props.name)),
    image: known(() => text(props.image)),
    hostname: known(() => text(props.hostname)),
    aliases: known(() => records(props.networksAdvanced).flatMap((n) => strings(n.aliases))),
    envs: known(() => strings(props.envs)),
    uploads: known(() =>
      records(props.uploads).map((u) => ({
        file: known(() => text(u.file)),
        content: known(() => text(u.content)),
      })),
    ),
  };
}
