// NodeMCU TLS (nodemcu/tls, net.createConnection(net.TCP, 1)) in the simulator against Node `tls` servers on
// 127.0.0.1, with certificates generated at run time (tests/support/tls-peers.js). App: tests/apps/tls-nodemcu.ts.
import assert from "node:assert/strict";
import { app, cleanup, closedPort, exitsCleanly, fakeDns, dnsResponse, lines } from "./support/net-peers.js";
import { bulkEcho, certificates, greeter, tlsServer, silentServer } from "./support/tls-peers.js";

/** Run a scenario; its output lines after a clean exit. */
async function run(args, opts = {}) {
  const r = await exitsCleanly(app("tls-nodemcu", args, opts));
  return lines(r.stdout);
}

/** A DNS server answering every A query with 127.0.0.1 (host names in these tests). */
async function loopbackDns() {
  const dns = await fakeDns((q, rinfo, s) => s.send(dnsResponse(q, { answers: [{ type: "A", data: "127.0.0.1" }] }), rinfo.port, rinfo.address));
  return { dns: [`127.0.0.1:${dns.port}`] };
}

/**
 * bulkEcho()'s check of the apps' "bulk" stream without the echo (an app that closes while its peer still sends gets
 * its connection reset, as with lwIP: unread bytes).
 */
function bulkSink() {
  const seen = { got: 0, bad: -1 };
  const byteAt = (n) => (n * 7 + (n >> 10)) & 255;
  const onConnection = (s) => s.on("data", (d) => {
    for (let i = 0; i < d.length; i++) if (seen.bad < 0 && d[i] !== byteAt(seen.got + i)) seen.bad = seen.got + i;
    seen.got += d.length;
  });
  return { seen, onConnection };
}

describe("nodemcu/tls: TLS sockets with verified certificates (hosts/sim/tls on OpenSSL)", function () {
  this.timeout(30000);
  let pki;
  before(function () {
    this.timeout(60000);
    pki = certificates();
  });
  afterEach(cleanup);

  it("1 MiB both ways, byte-exact, over TLS 1.2, and over TLS 1.3 with XSNET_TLS_BEYOND_BOARDS=1", async () => {
    for (const version of ["TLSv1.2", "TLSv1.3"]) {
      const { seen, onConnection } = bulkEcho();
      const srv = await tlsServer({ ...pki.server, minVersion: version, maxVersion: version }, onConnection);
      const beyond = version === "TLSv1.3" ? { env: { XSNET_TLS_BEYOND_BOARDS: "1" } } : {};
      assert.deepEqual(await run(["bulk", srv.port, "127.0.0.1", pki.ca.cert, "-"], beyond),
        ["verify true", "connection", "bulk received 1048576 exact"]);
      assert.equal(seen.got, 1 << 20);
      assert.equal(seen.bad, -1);
      assert.deepEqual(srv.sessions.map((s) => s.protocol), [version]);
    }
  });

  it("a host name is sent as SNI and checked: connection, data both ways, the server's close is disconnection 0", async () => {
    const srv = await tlsServer(pki.server, greeter);
    assert.deepEqual(await run(["hello", srv.port, "tls.test", pki.ca.cert, "-"], await loopbackDns()),
      ["verify true", "connection", "receive world:hello", "disconnection 0"]);
    assert.equal(srv.sessions[0].servername, "tls.test");
  });

  it("an IP literal is checked against the IP subjectAltName and sends no SNI; net.createConnection(net.TCP, 1) is TLS", async () => {
    const srv = await tlsServer(pki.server, greeter);
    assert.deepEqual(await run(["hello-net", srv.port, "127.0.0.1", pki.ca.cert, "-"]),
      ["verify true", "connection", "receive world:hello", "disconnection 0"]);
    assert.equal(srv.sessions[0].servername, undefined);
  });

  it("a certificate from an untrusted CA is refused: reconnection -28, no connection event, no application byte", async () => {
    let bytes = 0;
    const srv = await tlsServer(pki.rogue, (s) => s.on("data", (d) => { bytes += d.length; }));
    assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, "-"]), ["verify true", "reconnection -28"]);
    assert.equal(bytes, 0);
    assert.equal(srv.sessions.length, 0);
  });

  it("a wrong host name is refused (tls.other), and a wrong IP address (127.0.0.2)", async () => {
    const srv = await tlsServer(pki.server, greeter);
    assert.deepEqual(await run(["hello", srv.port, "tls.other", pki.ca.cert, "-"], await loopbackDns()),
      ["verify true", "reconnection -28"]);
    // a server at another loopback address: the certificate names 127.0.0.1 only
    const other = await tlsServer(pki.server, greeter, "127.0.0.2");
    assert.deepEqual(await run(["hello", other.port, "127.0.0.2", pki.ca.cert, "-"]),
      ["verify true", "reconnection -28"]);
  });

  it("a server that requires TLS 1.3 is refused (-28) as on a board (TLS 1.2 only), with a line saying so", async () => {
    const srv = await tlsServer({ ...pki.server, minVersion: "TLSv1.3" }, greeter);
    const r = await exitsCleanly(app("tls-nodemcu", ["hello", srv.port, "127.0.0.1", pki.ca.cert, "-"]));
    assert.deepEqual(lines(r.stdout), ["verify true", "reconnection -28"]);
    assert.match(r.stderr, /xsnet-tls: refused as on a board: .*the server refuses TLS 1\.2 \(it wants TLS 1\.3\?\); boards speak TLS 1\.2 only/);
  });

  it("a PEM with several CA certificates: the first is trusted, as by a board's ssl/session; each with XSNET_TLS_BEYOND_BOARDS=1", async () => {
    const srv = await tlsServer(pki.server, greeter);
    const pem = pki.rogueCa.cert + pki.ca.cert;
    assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pem, "-"]), ["verify true", "reconnection -28"]);
    assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pki.ca.cert + pki.rogueCa.cert, "-"]),
      ["verify true", "connection", "receive world:hello", "disconnection 0"]);
    assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pem, "-"], { env: { XSNET_TLS_BEYOND_BOARDS: "1" } }),
      ["verify true", "connection", "receive world:hello", "disconnection 0"]);
  });

  it("tls.cert.verify/auth and tls.setDebug check their arguments with NodeMCU-style errors", async () => {
    assert.deepEqual(await run(["args", 0, "-", pki.ca.cert, "-"]), [
      "verify(1) wrong arg type", "verify(text) no certificate in PEM data", "verify(bad base64) malformed PEM data",
      "auth(cert only) no PKCS#8 private key in PEM data", "auth(false) ok true",
      "setDebug(5) level out of range [0-4]", "setDebug(2) ok undefined", "setDebug(0) ok undefined",
    ]);
  });

  it("one TLS socket connects again after a refused handshake, with the settings of the new connect()", async () => {
    const srv = await tlsServer(pki.rogue, greeter);
    assert.deepEqual(await run(["retry-unverified", srv.port, "127.0.0.1", pki.ca.cert, "-"]),
      ["verify true", "reconnection -28", "verify true", "connection", "receive world:hello", "disconnection 0"]);
    assert.equal(srv.sessions.length, 1);
  });

  it("one send() of 256 KiB (many TLS records), then close(): all of it arrives, byte-exact", async () => {
    const { seen, onConnection } = bulkSink();
    const srv = await tlsServer(pki.server, onConnection);
    assert.deepEqual(await run(["close-queued-reconnect", srv.port, "127.0.0.1", pki.ca.cert, "-", "-"]),
      ["verify true", "connection 0", "queued true"]);
    for (let i = 0; i < 50 && seen.got < 1 << 18; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(seen.got, 1 << 18);
    assert.equal(seen.bad, -1);
  });

  it("close() with 256 KiB queued, then connect() again at once: the queue reaches the first server, the second connection is its own", async () => {
    const { seen, onConnection } = bulkSink();
    const first = await tlsServer(pki.server, onConnection);
    const second = await tlsServer(pki.server, greeter);
    assert.deepEqual(await run(["close-queued-reconnect", first.port, "127.0.0.1", pki.ca.cert, "-", second.port]),
      ["verify true", "connection 0", "queued true", "connection 1", "sent 1", "receive 1 world:hello", "disconnection 1 0"]);
    for (let i = 0; i < 50 && seen.got < 1 << 18; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(seen.got, 1 << 18);
    assert.equal(seen.bad, -1);
  });

  it("verification off (tls.cert.verify(false)) connects to the untrusted server", async () => {
    const srv = await tlsServer(pki.rogue, greeter);
    assert.deepEqual(await run(["verify-off", srv.port, "127.0.0.1", "-", "-"]),
      ["verify true", "connection", "receive world:hello", "disconnection 0"]);
  });

  it("mutual TLS: with tls.cert.auth() the server accepts the client; without, the connection is refused (-28)", async () => {
    for (const version of ["TLSv1.2", "TLSv1.3"]) {
      const opts = { ...pki.server, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true, maxVersion: version };
      const srv = await tlsServer(opts, greeter);
      const beyond = version === "TLSv1.3" ? { env: { XSNET_TLS_BEYOND_BOARDS: "1" } } : {};
      assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, pki.client.cert + pki.client.key], beyond),
        ["verify true", "auth true", "connection", "receive world:hello", "disconnection 0"]);
      assert.equal(srv.sessions[0].authorized, true);
      assert.equal(srv.sessions[0].protocol, version);
      const out = await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, "-"], beyond);
      // TLS 1.2: the handshake fails; TLS 1.3: the client finishes first and hears the server's alert after
      assert.equal(out.at(-1), "reconnection -28", version);
      assert.ok(!out.includes("receive world:hello"));
      assert.equal(srv.sessions.length, 1);
    }
  });

  it("a refused TCP connection keeps its own error under TLS: reconnection -14", async () => {
    const port = await closedPort();
    assert.deepEqual(await run(["hello", port, "127.0.0.1", pki.ca.cert, "-"]), ["verify true", "reconnection -14"]);
  });

  it("a peer that stalls mid-handshake: reconnection -28 after 10 s (limits.ts TLS_HANDSHAKE_MS)", async function () {
    const srv = await silentServer();
    const t0 = Date.now();
    assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, "-"]), ["verify true", "reconnection -28"]);
    const ms = Date.now() - t0;
    assert.ok(ms >= 9500 && ms < 20000, `${ms} ms`);
    assert.ok(Buffer.concat(srv.received)[0] === 0x16, "a ClientHello was sent");
  });
});
