#!/usr/bin/env node
// The https-client example's local server: HTTPS on 127.0.0.1:8443 (or the port given as argument) with the
// demo certificate of demo-pki/ (for 127.0.0.1 and localhost, signed by the CA in ca.ts) and that CA as its chain.
// Node's https module.
import https from "node:https";
import fs from "node:fs";

const dir = new URL("./demo-pki/", import.meta.url);
const port = Number(process.argv[2] ?? 8443);
// the chain, as real servers send it: the certificate, then its issuer (the CA of ca.ts). The Moddable SDK's
// ssl/session, which boards use, checks the server's name only when the issuer follows in the chain.
const ca = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(fs.readFileSync(new URL("./ca.ts", import.meta.url), "utf8"))[0];
const server = https.createServer({
  key: fs.readFileSync(new URL("server.key", dir)),
  cert: fs.readFileSync(new URL("server.pem", dir), "utf8") + ca + "\n",
}, (req, res) => {
  res.writeHead(200, { "Content-Type": "text/html", "Connection": "close" });
  res.end("<h1> Hello over TLS, NodeMCU.</h1>\n");
});
server.listen(port, "127.0.0.1", () => console.log(`listening on https://127.0.0.1:${port}/`));
