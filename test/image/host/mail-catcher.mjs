#!/usr/local/bin/node
// Stand-in for Mailpit (no registry here, and Debian has no mailpit package): the smallest catcher that
// speaks SMTP on Mailpit's port and keeps what it receives, with a read-only list of it under MP_WEBROOT on
// Mailpit's UI port. It honours the Mailpit settings the plan passes (MP_WEBROOT, MP_SMTP_AUTH_ACCEPT_ANY)
// and nothing else; its list is not Mailpit's API.
import { createServer as createHttp } from "node:http";
import { createServer as createTcp } from "node:net";

const SMTP_PORT = 1025;
const UI_PORT = 8025;
const webroot = (process.env.MP_WEBROOT ?? "/").replace(/\/?$/, "/");
const acceptAnyAuth = process.env.MP_SMTP_AUTH_ACCEPT_ANY === "true";
const messages = [];

createTcp((socket) => {
  socket.setEncoding("utf8");
  const reply = (line) => socket.write(`${line}\r\n`);
  let buffer = "";
  let data = null;
  let envelope = { from: "", to: [] };
  reply("220 mail-catcher stand-in ESMTP");
  socket.on("data", (chunk) => {
    buffer += chunk;
    for (;;) {
      if (data !== null) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        messages.push({ ...envelope, data: data + buffer.slice(0, end) });
        buffer = buffer.slice(end + 5);
        data = null;
        envelope = { from: "", to: [] };
        reply("250 2.0.0 queued");
        continue;
      }
      const newline = buffer.indexOf("\r\n");
      if (newline < 0) return;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 2);
      const verb = line.split(" ")[0].toUpperCase();
      if (verb === "EHLO")
        reply(
          acceptAnyAuth
            ? "250-mail-catcher\r\n250-AUTH PLAIN\r\n250 8BITMIME"
            : "250-mail-catcher\r\n250 8BITMIME",
        );
      else if (verb === "HELO") reply("250 mail-catcher");
      else if (verb === "AUTH") reply(acceptAnyAuth ? "235 2.7.0 accepted" : "502 5.5.1 no AUTH");
      else if (verb === "MAIL") {
        envelope.from = /<([^>]*)>/.exec(line)?.[1] ?? "";
        reply("250 2.1.0 ok");
      } else if (verb === "RCPT") {
        envelope.to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
        reply("250 2.1.5 ok");
      } else if (verb === "DATA") {
        data = "";
        reply("354 end with <CRLF>.<CRLF>");
      } else if (verb === "RSET" || verb === "NOOP") reply("250 ok");
      else if (verb === "QUIT") {
        reply("221 bye");
        socket.end();
        return;
      } else reply("502 5.5.2 not implemented");
    }
  });
}).listen(SMTP_PORT);

createHttp((request, response) => {
  if (!request.url?.startsWith(webroot)) {
    response.statusCode = 404;
    response.end();
    return;
  }
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ total: messages.length, messages }));
}).listen(UI_PORT);
process.once("SIGTERM", () => process.exit(0));
