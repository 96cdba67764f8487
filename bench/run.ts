/**
 * `npm run bench`: runs every benchmark module `bench/*.bench.ts` (each exports `run()`), in name order.
 * `npm run bench -- plan agent` runs only the modules whose file name contains one of the words.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface BenchModule {
  run(): Promise<void> | void;
}

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();
if (modules.length === 0) {
  console.error(`no benchmark in bench/ matches ${filters.join(", ") || "*.bench.ts"}`);
  process.exitCode = 2;
}
for (const file of modules) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as Partial<BenchModule>;
  if (typeof mod.run !== "function") throw new Error(`bench/${file} exports no run()`);
  console.log(`\n== ${file}`);
  const start = performance.now();
  await mod.run();
  console.log(`== ${file} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}
