import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * Loading `@pulumi/pulumi` loads the TypeScript compiler (~9 MB, about 0.35 s of CPU): the SDK's
 * closure serializer (`runtime/closure/*`, for function-valued resources such as dynamic providers)
 * requires it at load time through `typescript-shim.js`, though it uses it only when it serializes a
 * function, which a plan never does. This puts a stand-in for that shim in the module cache: the first
 * time anything reads from it, it loads the real shim and forwards to it, so a program that does
 * serialize a function gets the real compiler, only later. Call it before the SDK is first loaded; if
 * the SDK is loaded already it changes nothing.
 */
export function deferTypeScript(): void {
  const shim = join(dirname(require.resolve("@pulumi/pulumi")), "typescript-shim.js");
  if (require.cache[shim]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      // Evaluate the real shim once, then put the stand-in back so every holder keeps one identity.
      const standIn = require.cache[shim];
      delete require.cache[shim];
      try {
        real = require(shim) as object;
      } finally {
        if (standIn) require.cache[shim] = standIn;
      }
    }
    return real;
  };
  const exports = new Proxy(
    {},
    {
      get: (_target, key) => Reflect.get(load(), key),
      has: (_target, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a non-configurable property its (empty) target lacks.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  const standIn = new Module(shim);
  standIn.filename = shim;
  standIn.loaded = true;
  standIn.exports = exports;
  require.cache[shim] = standIn;
}
