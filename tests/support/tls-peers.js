// TLS peers for the TLS tests (tests/tls-*.test.js): certificates generated at run time with the openssl command
// (Debian package openssl, tools/prereqs.js), and Node `tls` servers on 127.0.0.1 closed at cleanup.
// Keys are RSA (what Moddable's ssl/session on boards verifies) in PKCS#8 PEM.
import tls from "node:tls";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { onCleanup, readUntil } from "./net-peers.js";

let cached;

function openssl(dir, args) {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A key (PKCS#8 PEM) and a certificate signed by `ca` (or self-signed when ca is undefined). */
function issue(dir, name, subject, { ca, san, clientAuth = false, ec = false } = {}) {
  openssl(dir, ["genpkey", "-algorithm", ...(ec ? ["EC", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
    "-out", `${name}.key`]);
  if (!ca) {
    openssl(dir, ["req", "-x509", "-new", "-key", `${name}.key`, "-subj", subject, "-days", "2", "-sha256",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", `${name}.pem`]);
  } else {
    openssl(dir, ["req", "-new", "-key", `${name}.key`, "-subj", subject, "-out", `${name}.csr`]);
    const ext = [`basicConstraints=CA:FALSE`, `extendedKeyUsage=${clientAuth ? "clientAuth" : "serverAuth"}`];
    if (san) ext.push(`subjectAltName=${san}`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext.join("\n") + "\n");
    openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-CAcreateserial",
      "-days", "2", "-sha256", "-extfile", `${name}.ext`, "-out", `${name}.pem`]);
  }
  return { key: fs.readFileSync(path.join(dir, `${name}.key`), "utf8"), cert: fs.readFileSync(path.join(dir, `${name}.pem`), "utf8") };
}

/**
 * The test PKI (made once per mocha run): ca (trusted by the apps), server (DNS tls.test and IP 127.0.0.1,
 * signed by ca; cert is the chain leaf + ca, as a server sends it), serverLeaf (the same key and leaf alone),
 * client (signed by ca, for mutual TLS), rogueCa and rogue (a server certificate for the same names from a CA
 * nobody trusts, + rogueCa), ecServer (as server, with an ECDSA P-256 key). Each {key, cert} in PEM.
 */
export function certificates() {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-tls-"));
  try {
    const ca = issue(dir, "ca", "/CN=xsnet test CA");
    const server = issue(dir, "server", "/CN=tls.test", { ca: "ca", san: "DNS:tls.test,IP:127.0.0.1" });
    const client = issue(dir, "client", "/CN=xsnet client", { ca: "ca", clientAuth: true });
    const rogueCa = issue(dir, "rogue-ca", "/CN=rogue CA");
    const rogue = issue(dir, "rogue", "/CN=tls.test", { ca: "rogue-ca", san: "DNS:tls.test,IP:127.0.0.1" });
    const ecServer = issue(dir, "ec-server", "/CN=tls.test", { ca: "ca", san: "DNS:tls.test,IP:127.0.0.1", ec: true });
    // servers send their chain, leaf then CA, as real ones do (a board refuses a leaf sent alone: serverLeaf)
    const chain = (leaf, issuer) => ({ key: leaf.key, cert: leaf.cert + issuer.cert });
    cached = {
      ca, client, rogueCa, serverLeaf: server,
      server: chain(server, ca), rogue: chain(rogue, rogueCa), ecServer: chain(ecServer, ca),
    };
    return cached;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An onConnection for tlsServer: gathers the apps' 5-byte greeting ("hello", in however many reads), answers
 * "world:<greeting>" and closes.
 */
export const greeter = (s) => readUntil(s, (got) => got.length >= 5).then((got) => s.end("world:" + got), () => {});

/** Byte n of the apps' "bulk" stream (tests/apps/tls-nodemcu.ts, luatos-tls.ts compute the same). */
const byteAt = (n) => (n * 7 + (n >> 10)) & 255;

/**
 * An onConnection for tlsServer that echoes the apps' "bulk" stream back and checks it: `seen.got` counts the bytes
 * received (over all connections), `seen.bad` is the offset of the first wrong byte or -1. Returns {seen, onConnection}.
 */
export function bulkEcho() {
  const seen = { got: 0, bad: -1 };
  const onConnection = (s) => s.on("data", (d) => {
    for (let i = 0; i < d.length; i++) if (seen.bad < 0 && d[i] !== byteAt(seen.got + i)) seen.bad = seen.got + i;
    seen.got += d.length;
    s.write(d);
  });
  return { seen, onConnection };
}

/**
 * A Node TLS server on `address` (default 127.0.0.1; another loopback address for a certificate that does not
 * name it), ephemeral port, with `options` (tls.createServer's: cert, key, ca, requestCert, minVersion,
 * maxVersion, ...); `onConnection(socket)` once a handshake succeeded. Returns {port, server, failures: [error
 * messages of refused handshakes], sessions: [{protocol, servername, authorized}]}.
 */
export async function tlsServer(options, onConnection = () => {}, address = "127.0.0.1") {
  const sockets = new Set();
  const failures = [];
  const sessions = [];
  const server = tls.createServer(options, (s) => {
    sessions.push({ protocol: s.getProtocol(), servername: s.servername || undefined, authorized: s.authorized });
    s.on("error", () => {});
    onConnection(s);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("tlsClientError", (e) => failures.push(e.code ?? e.message));
  await new Promise((resolve) => server.listen(0, address, resolve));
  onCleanup(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return { port: server.address().port, server, failures, sessions };
}

/** A TCP server that accepts and then says nothing (a peer stalling in the handshake); records what it received. */
export async function silentServer() {
  const sockets = new Set();
  const received = [];
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("data", (d) => received.push(d));
    s.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return { port: server.address().port, received };
}
