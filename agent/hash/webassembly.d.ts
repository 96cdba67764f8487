// The part of the WebAssembly JS API that agent/hash/siphash.ts uses. Node has the global; @types/node 20
// declares none of it, and the DOM library would bring a browser's globals into server code.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
