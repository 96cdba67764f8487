import { AGENT_CONTAINER, FILESTORE_MOUNT } from "./host-layout.ts";

/**
 * The cloud-init user data of every host: Docker, the agent's command wrappers, SSH settings and the
 * filestore volume. It depends on the volume name only, because a change of user data replaces a
 * droplet: images, containers and schedules are reconciled through Docker instead.
 */
export interface CloudInitInput {
  /** The block-storage volume holding the filestores (DigitalOcean exposes it by name). */
  volumeName: string;
}

/** Variables a remote command may pass through SSH and into the agent container, by name only. */
export const PASSED_ENV_PATTERNS = ["ODOOOPS_*", "PG*", "AWS_*"];

const EXEC_WRAPPER = `#!/bin/sh
# Runs a program inside the odooops agent container, passing ODOOOPS_*, PG* and AWS_* by name.
set -eu
set -- $(env | sed -n 's/^\\(ODOOOPS_[A-Z0-9_]*\\|PG[A-Z]*\\|AWS_[A-Z0-9_]*\\)=.*/-e \\1/p') ${AGENT_CONTAINER} "$@"
exec docker exec -i "$@"
`;

const AGENT_WRAPPER = `#!/bin/sh
exec odooops-exec odooops "$@"
`;

export function renderCloudInit(input: CloudInitInput): string {
  const device = `/dev/disk/by-id/scsi-0DO_Volume_${input.volumeName}`;
  const indent = (text: string) =>
    text
      .trimEnd()
      .split("\n")
      .map((l) => `      ${l}`)
      .join("\n");
  return `#cloud-config
package_update: true
packages: [docker.io, postgresql-client]
write_files:
  - path: /etc/ssh/sshd_config.d/60-odooops.conf
    content: |
      PasswordAuthentication no
      AcceptEnv ${PASSED_ENV_PATTERNS.join(" ")}
  - path: /etc/docker/daemon.json
    content: |
      {"log-driver": "json-file", "log-opts": {"max-size": "20m", "max-file": "5"}}
  - path: /usr/local/bin/odooops-exec
    permissions: "0755"
    content: |
${indent(EXEC_WRAPPER)}
  - path: /usr/local/bin/odooops
    permissions: "0755"
    content: |
${indent(AGENT_WRAPPER)}
mounts:
  # The volume is attached after the droplet boots: nofail lets boot finish, the ready check mounts it.
  - [${device}, ${FILESTORE_MOUNT}, ext4, "defaults,nofail,discard,noatime", "0", "2"]
runcmd:
  - [mkdir, -p, ${FILESTORE_MOUNT}]
  - [systemctl, enable, --now, docker]
  - [systemctl, reload, ssh]
`;
}
