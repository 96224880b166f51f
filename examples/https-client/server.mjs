#!/usr/bin/env node
// The https-client example's local server: HTTPS on 127.0.0.1:8443 (or the port given as argument) with the
// demo certificate of demo-pki/ (for 127.0.0.1 and localhost, signed by the CA in ca.ts). Node's https module.
import https from "node:https";
import fs from "node:fs";

const dir = new URL("./demo-pki/", import.meta.url);
const port = Number(process.argv[2] ?? 8443);
const server = https.createServer({
  key: fs.readFileSync(new URL("server.key", dir)),
  cert: fs.readFileSync(new URL("server.pem", dir)),
}, (req, res) => {
  res.writeHead(200, { "Content-Type": "text/html", "Connection": "close" });
  res.end("<h1> Hello over TLS, NodeMCU.</h1>\n");
});
server.listen(port, "127.0.0.1", () => console.log(`listening on https://127.0.0.1:${port}/`));
