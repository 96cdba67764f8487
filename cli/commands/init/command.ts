import type { Command } from "commander";
import type { CommandContext } from "../../context.ts";

export function registerInit(program: Command, context: CommandContext): void {
  program
    .command("init")
    .description(
      "Scaffold a platform repository for a new organisation (stack files, the Pulumi program's entry, empty projects/, workflows)",
    )
    .argument("<dir>", "new or empty directory")
    .requiredOption("--domain <domain>", "the platform domain environments are served under")
    .action(async (dir: string, options: { domain: string }) => {
      const { scaffoldPlatformRepo } = await import("../../init/scaffold.ts");
      const written = scaffoldPlatformRepo(dir, options.domain);
      for (const file of written) context.io.out(`wrote ${dir}/${file}`);
      context.io.out(
        `Next: in ${dir}, npm install odooops from a tarball made with npm pack or a git URL pinned to a commit (it is not on npm; the workflows refuse a bare version), commit package.json and package-lock.json, add projects/<name>.yaml (examples: examples/projects/ of odooops), then npx odooops validate and npx odooops plan.`,
      );
    });
}
