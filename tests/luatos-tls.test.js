// luatos/socket over TLS: config(ctrl, ..., isTls, ..., serverCert, clientCert, clientKey) in the simulator
// against Node `tls` servers on 127.0.0.1, certificates generated at run time (tests/support/tls-peers.js).
// App: tests/apps/luatos-tls.ts.
import assert from "node:assert/strict";
import tls from "node:tls";
import { app, cleanup, exitsCleanly, lines, onCleanup, fakeDns, dnsResponse } from "./support/net-peers.js";
import { bulkEcho, certificates, greeter, tlsServer, silentServer } from "./support/tls-peers.js";

async function run(args, opts = {}) {
  const r = await exitsCleanly(app("luatos-tls", args, opts));
  return lines(r.stdout);
}

const ONLINE = [
  "config true", "connect [true,false] state=[4,\"正在TLS握手\"]",
  "event ON_LINE 0 state=[5,\"在线\"]", "tx [true,false,false]",
];
const REFUSED = ["config true", "connect [true,false] state=[4,\"正在TLS握手\"]", "event ON_LINE -1 state=[1,\"离线\"]"];

describe("luatos/socket over TLS (config isTls; hosts/sim/tls on OpenSSL)", function () {
  this.timeout(30000);
  let pki;
  before(function () {
    this.timeout(60000);
    pki = certificates();
  });
  afterEach(cleanup);

  it("serverCert verified: state 4 during the handshake, ON_LINE(0), tx/read, the server's close is EVENT(-1)", async () => {
    const srv = await tlsServer(pki.server, greeter);
    const out = await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, "-", "-"]);
    assert.deepEqual(out.slice(0, 4), ONLINE);
    assert.ok(out.includes('read [true,"world:hello"]'), out.join("\n"));
    assert.match(out.at(-1), /^event EVENT -1/);     // the remote close, as on a plain socket
  });

  it("1 MiB both ways byte-exact (tx, rx into a zbuff), TLS 1.2; TLS 1.3 refused as on a board, works with XSNET_TLS_BEYOND_BOARDS=1", async () => {
    for (const version of ["TLSv1.2", "TLSv1.3"]) {
      const { seen, onConnection } = bulkEcho();
      const srv = await tlsServer({ ...pki.server, minVersion: version, maxVersion: version }, onConnection);
      if (version === "TLSv1.3") {
        assert.deepEqual(await run(["bulk", srv.port, "127.0.0.1", pki.ca.cert, "-", "-"]),
          ["config true", "connect [true,false] state=[4,\"正在TLS握手\"]", "event ON_LINE -1"]);
        assert.equal(seen.got, 0);
      }
      const beyond = version === "TLSv1.3" ? { env: { XSNET_TLS_BEYOND_BOARDS: "1" } } : {};
      assert.deepEqual(await run(["bulk", srv.port, "127.0.0.1", pki.ca.cert, "-", "-"], beyond),
        ["config true", "connect [true,false] state=[4,\"正在TLS握手\"]", "event ON_LINE 0", "bulk received 1048576 exact"]);
      assert.equal(seen.got, 1 << 20);
      assert.equal(seen.bad, -1);
      assert.equal(srv.sessions[0].protocol, version);
    }
  });

  it("a certificate from an untrusted CA: ON_LINE(-1), no application byte", async () => {
    let bytes = 0;
    const rogue = await tlsServer(pki.rogue, (s) => s.on("data", (d) => { bytes += d.length; }));
    assert.deepEqual(await run(["hello", rogue.port, "127.0.0.1", pki.ca.cert, "-", "-"]), REFUSED);
    assert.equal(bytes, 0);
  });

  it("without serverCert the server is not verified (as LuatOS): the untrusted server is online", async () => {
    const rogue = await tlsServer(pki.rogue, greeter);
    const out = await run(["hello", rogue.port, "127.0.0.1", "-", "-", "-"]);
    assert.deepEqual(out.slice(0, 4), ONLINE);
    assert.ok(out.includes('read [true,"world:hello"]'));
  });

  it("mutual TLS: with clientCert/clientKey online; without, ON_LINE(-1) (TLS 1.2)", async () => {
    const srv = await tlsServer({ ...pki.server, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true, maxVersion: "TLSv1.2" }, greeter);
    const out = await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, pki.client.cert, pki.client.key]);
    assert.deepEqual(out.slice(0, 4), ONLINE);
    assert.equal(srv.sessions[0].authorized, true);
    assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, "-", "-"]), REFUSED);
  });

  describe("a name with several addresses (a scripted DNS server on 127.0.0.1)", function () {
    let dns;
    const answers = {};
    beforeEach(async () => {
      dns = await fakeDns((q, rinfo, s) => {
        s.send(dnsResponse(q, { answers: (answers[q.name] ?? []).map((data) => ({ type: "A", data })) }), rinfo.port, rinfo.address);
      });
    });
    afterEach(() => dns.socket.close());

    it("a refused address is followed by the next; SNI and the certificate check stay the name's", async () => {
      answers["tls.test"] = ["127.0.0.2", "127.0.0.1"];
      const srv = await tlsServer(pki.server, greeter);
      const out = await run(["hello", srv.port, "tls.test", pki.ca.cert, "-", "-"], { dns: [`127.0.0.1:${dns.port}`] });
      assert.deepEqual(out.slice(0, 4), ["config true", 'connect [true,false] state=[2,"等待DNS"]', ...ONLINE.slice(2)]);
      assert.ok(out.includes('read [true,"world:hello"]'), out.join("\n"));
      assert.deepEqual(srv.sessions.map((x) => x.servername), ["tls.test"]);
    });

    it("a failed handshake ends the connect: the next address is not tried (LuatOS state 4)", async () => {
      answers["tls.test"] = ["127.0.0.1", "127.0.0.2"];
      const rogue = await tlsServer(pki.rogue, greeter);
      let reached = 0;
      const good = tls.createServer(pki.server, (s) => { reached++; greeter(s); });
      good.on("connection", () => reached++);
      await new Promise((resolve, reject) => good.once("error", reject).listen(rogue.port, "127.0.0.2", resolve));
      onCleanup(() => new Promise((resolve) => good.close(() => resolve())));
      const out = await run(["hello", rogue.port, "tls.test", pki.ca.cert, "-", "-"], { dns: [`127.0.0.1:${dns.port}`] });
      assert.deepEqual(out, ["config true", 'connect [true,false] state=[2,"等待DNS"]', 'event ON_LINE -1 state=[1,"离线"]']);
      assert.equal(reached, 0);
    });
  });

  it("a peer stalling in the handshake: ON_LINE(-1) after 10 s", async () => {
    const srv = await silentServer();
    const t0 = Date.now();
    assert.deepEqual(await run(["hello", srv.port, "127.0.0.1", pki.ca.cert, "-", "-"]), REFUSED);
    assert.ok(Date.now() - t0 >= 9500);
  });
});
