import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A private CA and a certificate for 127.0.0.1 signed by it, made with the openssl CLI (installed with
 * Debian's postgresql-15 through ssl-cert). The CA is what a test passes as trusted; without it the
 * certificate does not verify, as for any client on the Internet.
 */
export function testCertificates(): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "odooops-tls-"));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  try {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      at("ca.key"),
      "-out",
      at("ca.pem"),
      "-days",
      "1",
      "-subj",
      "/CN=odooops test CA",
    );
    openssl(
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      at("server.key"),
      "-out",
      at("server.csr"),
      "-subj",
      "/CN=127.0.0.1",
    );
    writeFileSync(at("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
    openssl(
      "x509",
      "-req",
      "-in",
      at("server.csr"),
      "-CA",
      at("ca.pem"),
      "-CAkey",
      at("ca.key"),
      "-CAcreateserial",
      "-out",
      at("server.pem"),
      "-days",
      "1",
      "-extfile",
      at("ext.cnf"),
    );
    return {
      ca: readFileSync(at("ca.pem"), "utf8"),
      key: readFileSync(at("server.key"), "utf8"),
      cert: readFileSync(at("server.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What an environment answers behind its proxy: Odoo's /web/health and the proxy's image header. */
export interface OdooStandIn {
  url: string;
  /** Changes what the next requests see. */
  set(state: { digest?: string; status?: number; body?: string }): void;
  close(): Promise<void>;
}

export async function httpsOdoo(tls: { key: string; cert: string }, digest: string): Promise<OdooStandIn> {
  let state = { digest, status: 200, body: JSON.stringify({ status: "pass" }) };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (req.url !== "/web/health") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(state.status, { "content-type": "application/json", "x-odooops-image": state.digest });
    res.end(state.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    set: (next) => {
      state = { ...state, ...next };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
