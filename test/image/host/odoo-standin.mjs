#!/usr/local/bin/node
// Stand-in for the Odoo executable (no Odoo image can be pulled here). It does nothing Odoo does: it
// prints, as one JSON line, the command line it was started with and the config file that command line
// names, then either stops (`--stop-after-init`, as the module update runs it) or listens where that
// config says Odoo listens (http_port, gevent_port) and answers every request with what reached it, so a
// test can see which port the proxy routed a request to and with which headers.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const argv = process.argv.slice(2);
const flag = argv.findIndex((a) => a === "-c" || a === "--config");
const inline = argv.find((a) => a.startsWith("--config="));
const configPath = inline
  ? inline.slice("--config=".length)
  : flag >= 0
    ? argv[flag + 1]
    : process.env.ODOO_RC;
const config = configPath ? readFileSync(configPath, "utf8") : "";
console.log(JSON.stringify({ standin: "odoo", argv, configPath, config, uid: process.getuid() }));
if (argv.includes("--stop-after-init")) process.exit(0);

const option = (name) => new RegExp(`^${name}\\s*=\\s*(\\S+)\\s*$`, "m").exec(config)?.[1];
for (const [name, fallback] of [
  ["http_port", "8069"],
  ["gevent_port", "8072"],
]) {
  const port = Number(option(name) ?? fallback);
  createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        port,
        option: name,
        method: request.method,
        url: request.url,
        headers: request.headers,
      }),
    );
  }).listen(port);
}
process.once("SIGTERM", () => process.exit(0));
