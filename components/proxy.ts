import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { PROXY_CONTAINER } from "../model/plan/host-layout.ts";
import { PLATFORM_IMAGES } from "../model/plan/platform-images.ts";
import { type ProxySite, renderCaddyfile } from "../model/plan/proxy-config.ts";
import type { Host } from "./host.ts";

export interface ProxyArgs {
  sites: ProxySite[];
  acmeEmail: string;
  image: string;
  services?: { hostname: string; upstream: string }[];
}

/**
 * The host's TLS-terminating reverse proxy (Caddy): one site per environment on the host, certificates
 * obtained and renewed automatically, Mailpit's UI behind basic auth outside production.
 */
export class ReverseProxy extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(
    name: string,
    args: ProxyArgs,
    deps: { host: Host; mailpitPasswordHashes: Record<string, pulumi.Output<string>> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:proxy:ReverseProxy", name, args, opts);
    const { host } = deps;
    const onHost = { parent: this, provider: host.docker, dependsOn: [host.ready] };
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, onHost);
    const caddyfile = pulumi.all(deps.mailpitPasswordHashes).apply((hashes) =>
      renderCaddyfile({
        acmeEmail: args.acmeEmail,
        sites: args.sites,
        mailpitPasswordHashes: hashes,
        services: args.services,
      }),
    );
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: PROXY_CONTAINER,
        image: image.repoDigest,
        restart: "unless-stopped",
        ports: [
          { internal: 80, external: 80 },
          { internal: 443, external: 443 },
          { internal: 443, external: 443, protocol: "udp" },
        ],
        networksAdvanced: [{ name: host.network.name }],
        // Certificates and ACME account live on the host, so a new container does not re-issue them.
        volumes: [{ hostPath: "/var/lib/odooops/caddy", containerPath: "/data" }],
        uploads: [{ file: "/etc/caddy/Caddyfile", content: caddyfile }],
      },
      // A fixed container name: the old one must go before the new one starts.
      { ...onHost, deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}

export const DEFAULT_PROXY_IMAGE = PLATFORM_IMAGES.caddy;
