import * as pulumi from "@pulumi/pulumi";
import { decodeProperties } from "./decode.ts";
import { withLazyOutputs } from "./lazy-outputs.ts";
import { type LightRequest, type MockMonitorInternals, registerLightly } from "./light-monitor.ts";
import { withLightStructs } from "./light-struct.ts";
import { type MockContext, mockCall, mockId, mockOutputs } from "./mock-outputs.ts";
import { withoutPromiseTracking } from "./untracked-promises.ts";

/** A resource as the program registered it, with the options a policy can see. */
export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string | undefined;
  /** Inputs with secrets unwrapped, as `pulumi preview --policy-pack` hands them to policies. */
  inputs: Record<string, unknown>;
  /** Paths into `inputs` that hold secrets: never printed. */
  secretPaths: string[];
  options: {
    protect: boolean;
    deleteBeforeReplace: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    dependencies: string[];
    provider: string | undefined;
  };
}

/** The part of the gRPC RegisterResourceRequest the capture reads. */
interface RegisterRequest extends LightRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
  getProvider(): string;
  getObject(): { toJavaScript(): unknown } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
}
type Callback = (error: Error | null, response?: RegisterResponse) => void;
interface MockMonitorLike {
  registerResource(request: RegisterRequest, callback: Callback): void;
}

/**
 * Runs `program` on the Pulumi SDK's mock runtime (the only stand-in we use, for cloud and GitHub APIs)
 * and returns every resource it registered, in registration order. No engine, no CLI, no network.
 */
export async function captureProgram(
  project: string,
  stack: string,
  program: () => unknown,
  context?: MockContext,
  /** Told each time a resource is registered (progress reporting). */
  onRegistered?: (count: number) => void,
  /**
   * "lazy" (the default): a resource's outputs are built only when the program reads them
   * (lazy-outputs.ts), the mock monitor skips the protobuf round trips (light-monitor.ts), inputs are
   * handed over without protobuf messages (light-struct.ts) and promises are not tracked for the SDK's
   * leak report (untracked-promises.ts); "eager": the SDK's own path, every declared output built at
   * registration, the SDK's mock monitor.
   */
  outputs: "lazy" | "eager" = "lazy",
): Promise<CapturedResource[]> {
  const secretOutputs = new Map<string, string[]>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: args.custom ? mockId(args.type, args.name) : undefined,
        state: mockOutputs(
          args.type,
          args.name,
          args.inputs,
          secretOutputs.get(`${args.type}::${args.name}`) ?? [],
          context,
        ),
      }),
      call: (args) => mockCall(args.token, args.inputs),
    },
    project,
    stack,
    true,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike & MockMonitorInternals;
  const register = monitor.registerResource.bind(monitor);
  const captured: CapturedResource[] = [];
  monitor.registerResource = (request, callback) => {
    secretOutputs.set(`${request.getType()}::${request.getName()}`, request.getAdditionalsecretoutputsList());
    const inputs = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
    const answer: Callback = (error, response) => {
      if (!error && response) {
        captured.push(toCaptured(request, inputs, response.getUrn()));
        onRegistered?.(captured.length);
      }
      callback(error, response);
    };
    if (outputs === "eager") register(request, answer);
    else
      registerLightly(monitor, request, inputs).then(
        (response) => answer(null, response),
        (error: unknown) => answer(error instanceof Error ? error : new Error(String(error))),
      );
  };
  const restoreTraces = withoutStackTraces();
  const restoreLight = outputs === "lazy" ? withLightRuntime() : () => {};
  try {
    await program();
    await pulumi.runtime.disconnect();
  } finally {
    restoreLight();
    restoreTraces();
  }
  return captured;
}

/** The lazy path's shortcuts through the SDK, each proved faithful by capture.test.ts. Returns the undo. */
function withLightRuntime(): () => void {
  const undo = [withLazyOutputs(), withLightStructs(), withoutPromiseTracking()];
  return () => {
    for (const restore of undo.reverse()) restore();
  };
}

/**
 * The SDK records a stack trace for every promise it creates (for leak debugging) and a full one for
 * every resource (source positions the mock monitor drops): `Resource.callsites()` sets
 * `Error.stackTraceLimit = Infinity` itself around each capture. Through tsx's source maps that
 * dominates a plan's time, and nothing here reads those traces. So while the program runs,
 * `Error.stackTraceLimit` is an accessor that reads 0 and ignores writes; V8 reads the limit as a data
 * property only, so with an accessor in its place it captures no stack at all. Returns the undo.
 */
function withoutStackTraces(): () => void {
  const original = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
  const sourceMaps = process.sourceMapsEnabled;
  Object.defineProperty(Error, "stackTraceLimit", { configurable: true, get: () => 0, set: () => {} });
  process.setSourceMapsEnabled(false);
  return () => {
    if (original) Object.defineProperty(Error, "stackTraceLimit", original);
    else Reflect.deleteProperty(Error, "stackTraceLimit");
    process.setSourceMapsEnabled(sourceMaps);
  };
}

function toCaptured(request: RegisterRequest, inputs: unknown, urn: string): CapturedResource {
  const { value, secretPaths } = decodeProperties(inputs);
  return {
    urn,
    type: request.getType(),
    name: request.getName(),
    custom: request.getCustom(),
    parent: request.getParent() || undefined,
    inputs: value as Record<string, unknown>,
    secretPaths,
    options: {
      protect: request.getProtect(),
      deleteBeforeReplace: request.getDeletebeforereplace(),
      retainOnDelete: request.getRetainondelete() ?? false,
      ignoreChanges: request.getIgnorechangesList(),
      replaceOnChanges: request.getReplaceonchangesList(),
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
      dependencies: request.getDependenciesList(),
      provider: request.getProvider() || undefined,
    },
  };
}
