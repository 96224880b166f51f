// Name resolution: nodemcu/net's dns functions and connect-by-name through a dnsmasq the test starts on a
// loopback address, and xsnet/dns/resolver against scriptable fake servers (apps: tests/apps/net-dns.ts,
// tests/apps/dns-resolver.ts).
import assert from "node:assert/strict";
import {
  app, cleanup, exitsCleanly, lines, tcpServer, startDnsmasq, fakeDns, dnsResponse, udpSocket,
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
        "set-index server index out of range [0-1]", "set-1 ok undefined", "get-1 ok 127.0.0.9",
        "set-port ok undefined", "get-1 ok 127.0.0.10:5353",
        "resolve-nocb invalid callback function", "resolve-empty illegal argument",
        "resolve-long illegal argument", "resolve-number wrong arg type",
      ]);
    });
  });

  describe("xsnet/dns/resolver", function () {
    it("resolves through dnsmasq, follows CNAME chains, reports NXDOMAIN and REFUSED, literals async", async () => {
      const r = await exitsCleanly(app("dns-resolver", ["lookup", DNSMASQ, "",
        "example.test", "alias2.test", "missing.test", "other.invalid", "10.0.0.1", "Example.Test."]));
      assert.deepEqual(lines(r.stdout).sort(), [
        "10.0.0.1 address 10.0.0.1 10.0.0.1 sync false",
        "Example.Test. address 127.0.0.1 Example.Test. sync false",
        "alias2.test address 127.0.0.7 alias2.test sync false",
        "example.test address 127.0.0.1 example.test sync false",
        "missing.test error ENOTFOUND missing.test sync false",
        "other.invalid error ESERVFAIL other.invalid sync false",
      ]);
    });

    it("retries a silent server on the schedule, then moves to the next server", async () => {
      const silent = await fakeDns(() => {});
      const r = await exitsCleanly(app("dns-resolver", ["lookup", `127.0.0.1:${silent.port},${DNSMASQ}`, "20,20,40",
        "example.test"]));
      assert.deepEqual(lines(r.stdout), ["example.test address 127.0.0.1 example.test sync false"]);
      assert.deepEqual(silent.queries.map((q) => q.name), ["example.test", "example.test", "example.test"]);
    });

    it("gives ETIMEOUT when no server answers, and leaves nothing pending", async () => {
      const a = await fakeDns(() => {});
      const b = await fakeDns(() => {});
      const r = await exitsCleanly(app("dns-resolver", ["lookup", `127.0.0.1:${a.port},127.0.0.1:${b.port}`, "10,10",
        "x.test", "y.test"]));
      assert.deepEqual(lines(r.stdout).sort(), [
        "x.test error ETIMEOUT x.test sync false", "y.test error ETIMEOUT y.test sync false",
      ]);
      assert.equal(a.queries.length, 4);
      assert.equal(b.queries.length, 4);
    });

    it("ignores replies with a wrong id or from another port; accepts CNAME chains in any order", async () => {
      const other = await udpSocket();
      const fake = await fakeDns((q, rinfo, s) => {
        const reply = (opts, from = s) => from.send(dnsResponse(q, opts), rinfo.port, rinfo.address);
        if (q.name === "spoof.fake") {
          reply({ id: q.id ^ 1, answers: [{ type: "A", data: "10.9.9.9" }] });
          reply({ answers: [{ type: "A", data: "10.8.8.8" }] }, other);
          setTimeout(() => reply({ answers: [{ type: "A", data: "10.1.2.3" }] }), 20);
        } else if (q.name === "chain.fake") {
          reply({ answers: [
            { name: "last.fake", type: "A", data: "10.0.0.2" },
            { type: "CNAME", data: "mid.fake" },
            { name: "unrelated.fake", type: "A", data: "10.6.6.6" },
            { name: "mid.fake", type: "CNAME", data: "last.fake" },
          ] });
        } else if (q.name === "nodata.fake") reply({ answers: [] });
        else if (q.name === "nx.fake") reply({ rcode: 3 });
        else if (q.name === "dangling.fake") reply({ answers: [{ type: "CNAME", data: "nowhere.fake" }] });
        else if (q.name === "servfail.fake") reply({ rcode: 2 });
      });
      const second = await fakeDns((q, rinfo, s) => {
        s.send(dnsResponse(q, { answers: [{ type: "A", data: "10.0.0.9" }] }), rinfo.port, rinfo.address);
      });
      const r = await exitsCleanly(app("dns-resolver", ["lookup",
        `127.0.0.1:${fake.port},127.0.0.1:${second.port}`, "200,200",
        "spoof.fake", "chain.fake", "nodata.fake", "nx.fake", "dangling.fake", "servfail.fake"]));
      assert.deepEqual(lines(r.stdout).sort(), [
        "chain.fake address 10.0.0.2 chain.fake sync false",
        "dangling.fake error ENODATA dangling.fake sync false",
        "nodata.fake error ENODATA nodata.fake sync false",
        "nx.fake error ENOTFOUND nx.fake sync false",
        "servfail.fake address 10.0.0.9 servfail.fake sync false",
        "spoof.fake address 10.1.2.3 spoof.fake sync false",
      ]);
      // only servfail.fake went on to the second server, once
      assert.deepEqual(second.queries.map((q) => q.name), ["servfail.fake"]);
    });

    it("close() cancels pending lookups: no callback, nothing left pending", async () => {
      const silent = await fakeDns(() => {});
      const r = await exitsCleanly(app("dns-resolver", ["close", `127.0.0.1:${silent.port}`, "", "a.test", "1.2.3.4"]));
      assert.deepEqual(lines(r.stdout), ["closed"]);
    });

    it("checks its arguments", async () => {
      const r = await exitsCleanly(app("dns-resolver", ["errors", "", ""]));
      assert.deepEqual(lines(r.stdout), [
        "no-servers TypeError: servers required", "bad-server TypeError: invalid DNS server dns.example",
        "bad-port TypeError: invalid DNS server 127.0.0.1:99999", "no-callback TypeError: callback required",
        "no-host TypeError: host required", "empty-label TypeError: invalid host name",
        "long-label TypeError: invalid host name", "long-name TypeError: invalid host name",
      ]);
    });
  });
});
