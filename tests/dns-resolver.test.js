// The DNS resolver (src/dns/resolver.ts + src/dns/wire.ts) under its two specifiers: Moddable's
// "embedded:network/dns/resolver/udp" shape used as Moddable's examples use it (tests/apps/dns-moddable.ts), and
// xsnet's extensions through "xsnet/dns/resolver" (tests/apps/dns-resolver.ts). Servers: a dnsmasq on a loopback
// address and scriptable fake servers on 127.0.0.1.
import assert from "node:assert/strict";
import {
  app, cleanup, exitsCleanly, lines, startDnsmasq, fakeDns, dnsResponse, dnsQuery, udpSocket,
} from "./support/net-peers.js";

// Address of these tests only (no other test uses it).
const DNSMASQ = "127.0.43.53";

describe("DNS resolver", function () {
  let dnsmasq;
  before(async () => { dnsmasq = await startDnsmasq(DNSMASQ); });
  after(async () => { await dnsmasq?.stop(); });
  afterEach(cleanup);

  describe("embedded:network/dns/resolver/udp, as Moddable's examples use it", function () {
    it("resolve({host, onResolved, onError}) resolves names, CNAME chains, literals and localhost; failures call onError", async () => {
      const r = await exitsCleanly(app("dns-moddable", ["example", DNSMASQ,
        "example.test", "alias2.test", "missing.test", "other.invalid", "10.0.0.1", "localhost"]));
      assert.deepEqual(lines(r.stdout).sort(), [
        "10.0.0.1 10.0.0.1", "alias2.test 127.0.0.7", "example.test 127.0.0.1", "localhost 127.0.0.1",
        "missing.test undefined", "other.invalid undefined",
      ]);
    });

    it("IP literals and localhost are answered without a query", async () => {
      const fake = await fakeDns((q, rinfo, s) => {
        s.send(dnsResponse(q, { answers: [{ type: "A", data: "10.9.9.9" }] }), rinfo.port, rinfo.address);
      });
      const r = await exitsCleanly(app("dns-moddable", ["example", `127.0.0.1:${fake.port}`,
        "localhost", "10.0.0.1", "x.fake"]));
      assert.deepEqual(lines(r.stdout).sort(), ["10.0.0.1 10.0.0.1", "localhost 127.0.0.1", "x.fake 10.9.9.9"]);
      assert.deepEqual(fake.queries.map((q) => q.name), ["x.fake"]);
    });

    it("new dns.io(dns) as the HTTP client does: callbacks get the resolver as this and the host as given, later", async () => {
      const r = await exitsCleanly(app("dns-moddable", ["config", DNSMASQ, "missing.test", "Example.Test.", "target.test"]));
      assert.deepEqual(lines(r.stdout).sort(), [
        "error missing.test this true sync false",
        "only-error missing.test",
        "resolved Example.Test. 127.0.0.1 this true sync false",
        "resolved target.test 127.0.0.7 this true sync false",
      ]);
    });

    it("close() cancels pending lookups: no callback afterwards, nothing left pending, no lookup after it", async () => {
      const silent = await fakeDns(() => {});
      const started = Date.now();
      const r = await exitsCleanly(app("dns-moddable", ["close", `127.0.0.1:${silent.port}`, "a.test", "b.test"]));
      assert.deepEqual(lines(r.stdout), ["closed", "resolve after close: Error: resolver closed"]);
      // one query each, and the app exited before lwIP's first retry (1 s) could have been sent
      assert.deepEqual(silent.queries.map((q) => q.name).sort(), ["a.test", "b.test"]);
      assert.ok(Date.now() - started < 5000);
    });

    it("close() inside onResolved (this is the resolver) cancels the other lookups", async () => {
      const silent = await fakeDns(() => {});
      const r = await exitsCleanly(app("dns-moddable", ["close-in-callback", `127.0.0.1:${silent.port}`,
        "a.test", "10.0.0.1", "b.test"]));
      assert.deepEqual(lines(r.stdout), ["resolved 10.0.0.1 10.0.0.1"]);
    });

    it("extension: onError gets the error as its second argument", async () => {
      const silent = await fakeDns(() => {});
      const r = await exitsCleanly(app("dns-resolver", ["onerror", `${DNSMASQ},127.0.0.1:${silent.port}`, "10,10",
        "missing.test", "other.invalid"]));
      assert.deepEqual(lines(r.stdout).sort(), [
        "missing.test ENOTFOUND DNS name not found for missing.test",
        "other.invalid ESERVFAIL DNS server failure for other.invalid",   // REFUSED, then silence
      ]);
      const s = await exitsCleanly(app("dns-resolver", ["onerror", `127.0.0.1:${silent.port}`, "10", "x.test"]));
      assert.deepEqual(lines(s.stdout), ["x.test ETIMEOUT DNS timeout for x.test"]);
    });
  });

  describe("xsnet/dns/resolver extensions and the wire format", function () {
    it("resolve(options, callback) through dnsmasq: CNAME chains, NXDOMAIN, REFUSED, literals async", async () => {
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

    it("gives every A record of the name, in answer order, to the callback's addresses (after a CNAME chain)", async () => {
      const fake = await fakeDns((q, rinfo, s) => {
        const reply = (answers) => s.send(dnsResponse(q, { answers }), rinfo.port, rinfo.address);
        const a = (data, name) => ({ name, type: "A", data });
        if (q.name === "one.fake") reply([a("10.0.0.1")]);
        else if (q.name === "five.fake") reply(["10.0.0.5", "10.0.0.3", "10.0.0.1", "10.0.0.4", "10.0.0.2"].map((d) => a(d)));
        else if (q.name === "chain.fake") {
          reply([
            a("10.0.1.1", "last.fake"),
            { type: "CNAME", data: "last.fake" },
            a("10.6.6.6", "unrelated.fake"),
            a("10.0.1.2", "last.fake"),
            a("10.0.1.3", "last.fake"),
          ]);
        }
      });
      const r = await exitsCleanly(app("dns-resolver", ["all", `127.0.0.1:${fake.port}`, "200",
        "one.fake", "five.fake", "chain.fake", "10.1.1.1", "localhost"]));
      assert.deepEqual(lines(r.stdout).sort(), [
        "10.1.1.1 10.1.1.1 first=true",
        "chain.fake 10.0.1.1,10.0.1.2,10.0.1.3 first=true",
        "five.fake 10.0.0.5,10.0.0.3,10.0.0.1,10.0.0.4,10.0.0.2 first=true",
        "localhost 127.0.0.1 first=true",
        "one.fake 10.0.0.1 first=true",
      ]);
    });

    it("ignores malformed replies (pointer loop, truncated) and answers to another question", async () => {
      const fake = await fakeDns((q, rinfo, s) => {
        const send = (bytes) => s.send(bytes, rinfo.port, rinfo.address);
        const header = Buffer.alloc(12);
        header.writeUInt16BE(q.id, 0);
        header.writeUInt16BE(0x8180, 2);
        header.writeUInt16BE(1, 4);
        send(Buffer.concat([header, Buffer.from([0xC0, 0x0C, 0, 1, 0, 1])]));   // question name points at itself
        const good = dnsResponse(q, { answers: [{ type: "A", data: "10.1.2.3" }] });
        send(good.subarray(0, good.length - 2));                                 // A record cut short
        send(dnsResponse({ ...q, question: dnsQuery(q.id, "other.fake").subarray(12) },
          { answers: [{ type: "A", data: "10.6.6.6" }] }));                      // another question, same id
        send(Buffer.from([0x12]));                                               // shorter than a header
        setTimeout(() => send(good), 20);
      });
      const r = await exitsCleanly(app("dns-resolver", ["lookup", `127.0.0.1:${fake.port}`, "500",
        "loop.fake"]));
      assert.deepEqual(lines(r.stdout), ["loop.fake address 10.1.2.3 loop.fake sync false"]);
      assert.equal(fake.queries.length, 1);
    });

    it("cancel(callback or options) drops those lookups only", async () => {
      const silent = await fakeDns(() => {});
      const r = await exitsCleanly(app("dns-resolver", ["cancel", `127.0.0.1:${silent.port}`, "10,10",
        "a.test", "b.test", "c.test"]));
      assert.deepEqual(lines(r.stdout), ["cancelled", "kept c.test ETIMEOUT"]);
      const count = (name) => silent.queries.filter((q) => q.name === name).length;
      assert.deepEqual([count("a.test"), count("b.test"), count("c.test")], [1, 1, 2]);
    });

    it("close() cancels pending lookups: no callback, nothing left pending", async () => {
      const silent = await fakeDns(() => {});
      const r = await exitsCleanly(app("dns-resolver", ["close", `127.0.0.1:${silent.port}`, "", "a.test", "1.2.3.4"]));
      assert.deepEqual(lines(r.stdout), ["closed"]);
    });

    it("encodes the same query bytes as an independent encoder", async () => {
      const names = ["example.test", "a.b-c.d", "x".repeat(63) + ".test"];
      const r = await exitsCleanly(app("dns-resolver", ["wire", "", "", ...names]));
      assert.deepEqual(lines(r.stdout), names.map((n) => dnsQuery(0x1234, n).toString("hex")));
    });

    it("checks its arguments", async () => {
      const r = await exitsCleanly(app("dns-resolver", ["errors", "", ""]));
      assert.deepEqual(lines(r.stdout), [
        "no-servers TypeError: servers required", "bad-server TypeError: invalid DNS server dns.example",
        "bad-port TypeError: invalid DNS server 127.0.0.1:99999", "no-callback TypeError: callback required",
        "no-host TypeError: host required", "empty-label TypeError: invalid host name",
        "long-label TypeError: invalid host name", "long-name TypeError: invalid host name",
        "onresolved-type TypeError: onResolved must be a function", "onerror-type TypeError: onError must be a function",
        "callback-type TypeError: callback must be a function",
        "both-forms TypeError: give onResolved/onError or a callback, not both",
        "empty-host TypeError: invalid host name",
        "after-close Error: resolver closed",
      ]);
    });
  });
});
