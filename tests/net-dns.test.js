// Name resolution through nodemcu/net: its dns functions and connect-by-name through a dnsmasq the test starts on
// a loopback address, and fake servers (app: tests/apps/net-dns.ts). The resolver itself: tests/dns-resolver.test.js.
import assert from "node:assert/strict";
import {
  app, cleanup, exitsCleanly, lines, tcpServer, startDnsmasq, fakeDns, dnsResponse,
} from "./support/net-peers.js";

// Addresses of these tests only (no other test uses them).
const DNSMASQ = "127.0.21.53";

describe("DNS", function () {
  let dnsmasq;
  before(async () => { dnsmasq = await startDnsmasq(DNSMASQ); });
  after(async () => { await dnsmasq?.stop(); });
  afterEach(cleanup);

  describe("nodemcu/net", function () {
    it("net.dns.resolve, socket:dns and udpsocket:dns resolve names, CNAME chains, literals; failures give nil", async () => {
      const r = await exitsCleanly(app("net-dns", ["resolve"], { dns: [DNSMASQ] }));
      assert.deepEqual(lines(r.stdout), [
        `servers ${DNSMASQ} ${DNSMASQ} undefined`,
        "resolve example.test undefined 127.0.0.1 async true",
        "resolve www.example.test undefined 127.0.0.1 async true",
        "resolve alias2.test undefined 127.0.0.7 async true",
        "resolve missing.test undefined undefined async true",
        "resolve other.invalid undefined undefined async true",
        "resolve 127.0.0.5 undefined 127.0.0.5 async true",
        "socket dns true 127.0.0.1",
        "udpsocket dns true 127.0.0.7",
        "udpsocket dns again undefined",
      ]);
    });

    it("connect() by name fires dns then connection; an unresolvable name gives reconnection/disconnection(-6)", async () => {
      let conns = 0;
      const { port } = await tcpServer(() => { conns++; });
      const r = await exitsCleanly(app("net-dns", ["connect", port], { dns: [DNSMASQ] }));
      assert.deepEqual(lines(r.stdout), [
        "a dns 127.0.0.1", "a connection 127.0.0.1",
        "b resolving true 0.0.0.0", "b dns undefined", "b reconnection -6",
        "b dns undefined", "b disconnection -6 undefined",
        "b dns 127.0.0.1", "b connection 127.0.0.1", "done",
      ]);
      assert.equal(conns, 2);
    });

    it("a DNS server that never answers gives dns(nil) and disconnection(-3) after lwIP's retry schedule", async function () {
      this.timeout(30000);
      const silent = await fakeDns(() => {});
      const r = await exitsCleanly(app("net-dns", ["timeout", 9], { dns: [`127.0.0.1:${silent.port}`] }));
      assert.deepEqual(lines(r.stdout), ["dns undefined", "disconnection -3"]);
      assert.equal(silent.queries.length, 4);   // 4 tries to the one server
    });

    it("setdnsserver/getdnsserver and resolve check their arguments", async () => {
      const r = await exitsCleanly(app("net-dns", ["servers"], { dns: [DNSMASQ] }));
      assert.deepEqual(lines(r.stdout), [
        `get ok ${DNSMASQ}`, "get-1 ok undefined",
        "get-2 server index out of range [0-1]", "get-neg server index out of range [0-1]",
        "set-bad invalid dns server ip", "set-any invalid dns server ip", "set-bcast invalid dns server ip",
        "set-index server index out of range [0-1]", "set-1 ok undefined", "get-1 ok 127.0.0.9", "port-1 ok 53",
        "set-port ok undefined", "get-1 ok 127.0.0.10", "port-1 ok 5353", "port-0 ok 53",
        "port-2 server index out of range [0-1]",
        "resolve-nocb invalid callback function", "resolve-empty illegal argument",
        "resolve-long illegal argument", "resolve-number wrong arg type",
      ]);
    });
  });

  describe("DNS servers with a port (xsnet/native, the same rules on every platform)", function () {
    it("getDNSServer/setDNSServer keep a.b.c.d:port (53 left out), 0.0.0.0 clears, malformed addresses throw", async () => {
      const r = await exitsCleanly(app("dns-servers", ["native"], { dns: ["bogus", "127.0.0.9:5353"] }));
      assert.match(r.stderr, /invalid DNS server bogus/);
      const bad = ["127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "127.0.0.1:12a", "127.0.0.1:123456",
        "127.0.0.1:5353:1", "1.2.3", "999.1.1.1", "127.0.0.1 ", ":53", "1111111111111111111111:53"];
      assert.deepEqual(lines(r.stdout), [
        "start undefined 127.0.0.9:5353",
        "127.0.0.1:5353 -> 127.0.0.1:5353", "127.0.0.2:53 -> 127.0.0.2", "127.0.0.3:65535 -> 127.0.0.3:65535",
        "127.0.0.4:1 -> 127.0.0.4:1", "127.0.0.5 -> 127.0.0.5", "0.0.0.0 -> undefined", "0.0.0.0:5353 -> undefined",
        "127.0.0.6:5300 -> 127.0.0.6:5300", "undefined -> undefined", "127.0.0.7:5353 -> 127.0.0.7:5353",
        ...bad.map((a) => `${a} TypeError: invalid dns server ip`),
        "kept 127.0.0.7:5353",
        "127.0.0.1 RangeError: server index out of range [0-1]",
      ]);
    });

    it("net.dns.setdnsserver(\"127.0.0.1:port\") at run time sends the lookups to that port", async () => {
      const fake = await fakeDns((q, rinfo, s) => {
        s.send(dnsResponse(q, { answers: [{ type: "A", data: "10.4.4.4" }] }), rinfo.port, rinfo.address);
      });
      const r = await exitsCleanly(app("dns-servers", ["resolve", `127.0.0.1:${fake.port}`]));
      assert.deepEqual(lines(r.stdout), [`servers undefined 127.0.0.1 port ${fake.port}`, "x.fake 10.4.4.4"]);
      assert.deepEqual(fake.queries.map((q) => q.name), ["x.fake"]);
    });
  });
});
