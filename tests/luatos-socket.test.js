// luatos/socket TCP client in callback and publish mode, against real Node peers on 127.0.0.1 and a dnsmasq
// (app: tests/apps/luatos-socket.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, tcpServer, closedPort, startDnsmasq, fakeDns, dnsResponse } from "./support/net-peers.js";

const fnv = (buffer, h = 0x811c9dc5) => {
  for (const b of buffer) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
};

describe("luatos/socket TCP client (callback mode)", function () {
  afterEach(cleanup);

  it("connects, sends, receives with rx (zbuff) and read, disconnects: results, states and events in order", async () => {
    let got = Buffer.alloc(0);
    const { port } = await tcpServer((s) => {
      s.on("data", (d) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 11) s.write(got);   // one echo of both tx() calls
      });
    });
    const r = await exitsCleanly(app("luatos-socket", ["echo", port]));
    assert.deepEqual(lines(r.stdout), [
      'created true state=[0,"硬件离线"]',
      "config true",
      'connect [true,false] state=[3,"正在连接"]',
      "connect-again [false,false]",
      "tx-early [false]",
      'event ON_LINE 0 same=true state=[5,"在线"]',
      'remoteIP ["nil","nil","nil","nil"]',
      "tx [true,false,false]",
      "tx2 [true,false,false]",
      'event TX_OK 0 same=true state=[5,"在线"]',
      'event EVENT 0 same=true state=[5,"在线"]',
      "rx-len [true,11]",
      'rx [true,5,"nil","nil"] used=5 len=5 hello',
      "wait [true,false]",
      'read [true,"你好"]',
      'read-empty [true,""]',
      "rx-empty [true,0]",
      "wait2 [true,false]",
      'discon [true,false] state=[7,"正在离线"]',
      'event CLOSED 0 same=true state=[1,"离线"]',
      "tx-closed [false] rx-closed [false,0] wait [false,false]",
      'released "nil" [] []',
    ]);
    assert.equal(got.toString(), "hello你好");
  });

  it("a refused connection gives ON_LINE(-1) (an IP as a big-endian integer), then nothing works until close", async () => {
    const r = await exitsCleanly(app("luatos-socket", ["refused", await closedPort()]));
    assert.deepEqual(lines(r.stdout), [
      "connect [true,false]",
      'event ON_LINE -1 state=[1,"离线"]',
      "wait [false,false] rx [false,0] tx [false]",
      'closed [1,"离线"]',
    ]);
  });

  it("a remote close goes to EVENT(-1); bytes that arrived before it are readable once", async () => {
    const { port } = await tcpServer((s) => s.end("bye"));
    const r = await exitsCleanly(app("luatos-socket", ["remote-close", port]));
    assert.deepEqual(lines(r.stdout), [
      'event ON_LINE 0 state=[5,"在线"]',
      'event EVENT 0 state=[5,"在线"]',
      'event EVENT -1 state=[1,"离线"]',
      "wait [true,true]",
      "rx-len [true,3]",
      'rx [true,3,"nil","nil"] bye',
      "rx-again [false,0] wait [false,false] tx [false]",
      'discon [true,true] state=[1,"离线"]',
    ]);
  });

  it("carries all 256 byte values both ways (ArrayBuffer and zbuff sent, zbuff received); a string's U+0000 is one 0 byte", async () => {
    let got = Buffer.alloc(0);
    const { port } = await tcpServer((s) => s.on("data", (d) => { got = Buffer.concat([got, d]); s.write(d); }));
    const r = await exitsCleanly(app("luatos-socket", ["bytes", port]));
    assert.deepEqual(lines(r.stdout), ["tx [true,false,false] [true,false,false] [true,false,false]", "received 515 mismatches 0 len 515"]);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.ok(got.equals(Buffer.concat([all, all, Buffer.from([0x78, 0, 0x79])])), got.subarray(512).toString("hex"));
  });

  it("rx lands in a zbuff's new storage after resize() and free() (the same room read again each time)", async () => {
    const { port } = await tcpServer((s) => s.on("data", (d) => s.write(d)));
    const r = await exitsCleanly(app("luatos-socket", ["rx-room", port]));
    assert.deepEqual(lines(r.stdout), ["rx abcd len 8", "rx efgh len 16", "rx ijkl len 4", "rx mnop len 4"]);
  });

  it("moves 4 MiB each way byte-exact", async function () {
    this.timeout(60000);
    const total = 4 * 1024 * 1024;
    const chunk = Buffer.alloc(65536);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + (i >> 9)) & 255;
    const out = Buffer.alloc(total);
    for (let i = 0; i < total; i++) out[i] = (i * 131 + (i >> 11)) & 255;
    let received = 0, hash = 0x811c9dc5, expected = 0x811c9dc5;
    for (let o = 0; o < total; o += chunk.length) expected = fnv(chunk, expected);
    const server = await tcpServer((s) => {
      s.write(out);
      s.on("data", (d) => {
        received += d.length;
        hash = fnv(d, hash);
      });
    });
    const r = await exitsCleanly(app("luatos-socket", ["bulk", server.port, total], { timeout: 60 }));
    const m = r.stdout.match(/received (\d+) ([0-9a-f]+) events>1 (\w+) tx_ok (\d+)\n/);
    assert.ok(m, r.stdout);
    assert.equal(Number(m[1]), total);
    assert.equal(m[2], fnv(out).toString(16));
    assert.equal(m[3], "true");
    assert.ok(Number(m[4]) >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(received, total);
    assert.equal(hash, expected);
  });

  it("not reading stops the peer (the window closes); after reading starts, every byte arrives", async function () {
    this.timeout(60000);
    const data = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 13 + (i >> 10)) & 255;
    let peer;
    const { port } = await tcpServer((s) => {
      peer = s;
      s.write(data, () => s.end());
    });
    const a = app("luatos-socket", ["noread", port, 1500], { timeout: 60 });
    await a.waitFor(/connected\n/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.ok(peer.writableLength > 0, `the peer should be blocked, yet it wrote everything (${peer.bytesWritten})`);
    const r = await exitsCleanly(a);
    assert.match(r.stdout, /reading after 1 events, pending>0 true\n/);
    assert.match(r.stdout, new RegExp(`done ${data.length} ${fnv(data).toString(16)}\\n`));
  });

  it("publishes the events of a ctrl with neither callback nor task as NWCTRL*", async () => {
    const { port } = await tcpServer(() => {});
    const r = await exitsCleanly(app("luatos-socket", ["publish", port]));
    assert.deepEqual(lines(r.stdout), ["published 2 number ON_LINE 0"]);
  });

  describe("with names (dnsmasq on 127.0.0.53)", function () {
    let dns;
    before(async () => { dns = await startDnsmasq("127.0.0.53"); });
    after(async () => { await dns?.stop(); });

    it("resolves a name (state 2), remoteIP gives the address; a lookup-only connect (port 0) gives ON_LINE(0)", async () => {
      const { port } = await tcpServer(() => {});
      let r = await exitsCleanly(app("luatos-socket", ["name", "example.test", port], { dns: ["127.0.0.53"] }));
      assert.deepEqual(lines(r.stdout), [
        'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
        'event ON_LINE 0 state=[5,"在线"] remoteIP ["127.0.0.1","nil","nil","nil"]',
        'after-close ["nil","nil","nil","nil"]',
      ]);
      r = await exitsCleanly(app("luatos-socket", ["name", "target.test", 0], { dns: ["127.0.0.53"] }));
      assert.deepEqual(lines(r.stdout), [
        'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
        'event ON_LINE 0 state=[1,"离线"] remoteIP ["127.0.0.7","nil","nil","nil"]',
        'after-close ["nil","nil","nil","nil"]',
      ]);
    });

    it("setDNS(nil, 1, ip) sets the server lookups use; debug(ctrl, true) logs each event", async () => {
      const { port } = await tcpServer(() => {});
      const r = await exitsCleanly(app("luatos-socket", ["name", "example.test", port, "127.0.0.53", "debug"]));
      assert.deepEqual(lines(r.stdout), [
        "setDNS true",
        'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
        "D/socket NWCTRL*: 1 ON_LINE 0",
        'event ON_LINE 0 state=[5,"在线"] remoteIP ["127.0.0.1","nil","nil","nil"]',
        'after-close ["nil","nil","nil","nil"]',
      ]);
    });

    it("an unresolvable name gives ON_LINE(-1)", async () => {
      const r = await exitsCleanly(app("luatos-socket", ["name", "nx.test", 80], { dns: ["127.0.0.53"] }));
      assert.deepEqual(lines(r.stdout), [
        'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
        'event ON_LINE -1 state=[1,"离线"] remoteIP ["nil","nil","nil","nil"]',
        'after-close ["nil","nil","nil","nil"]',
      ]);
    });
  });

  describe("with several addresses per name (a scripted DNS server on 127.0.0.1)", function () {
    // Names answered with 1, 2, 4 or 5 A records; the TCP server listens on 127.0.0.1 only, so a connect to
    // 127.0.0.2..5 is refused at once.
    const RECORDS = {
      "one.test": ["127.0.0.1"],
      "two.test": ["127.0.0.1", "127.0.0.2"],
      "five.test": ["127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.15"],
      "fallback.test": ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.1", "127.0.0.5"],
      "refused.test": ["127.0.0.2", "127.0.0.3"],
    };
    let dns;
    beforeEach(async () => {
      dns = await fakeDns((q, rinfo, s) => {
        const answers = (RECORDS[q.name] ?? []).map((data) => ({ type: "A", data }));
        s.send(dnsResponse(q, { answers, rcode: q.name in RECORDS ? 0 : 3 }), rinfo.port, rinfo.address);
      });
    });
    afterEach(() => dns.socket.close());
    const server = () => `127.0.0.1:${dns.port}`;

    it("remoteIP gives the answer's addresses in order, up to 4, padded with undefined (lookup only, port 0)", async () => {
      const results = {};
      for (const name of ["one.test", "two.test", "five.test"]) {
        const r = await exitsCleanly(app("luatos-socket", ["name", name, 0], { dns: [server()] }));
        results[name] = lines(r.stdout);
      }
      assert.deepEqual(results, {
        "one.test": [
          'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
          'event ON_LINE 0 state=[1,"离线"] remoteIP ["127.0.0.1","nil","nil","nil"]',
          'after-close ["nil","nil","nil","nil"]',
        ],
        "two.test": [
          'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
          'event ON_LINE 0 state=[1,"离线"] remoteIP ["127.0.0.1","127.0.0.2","nil","nil"]',
          'after-close ["nil","nil","nil","nil"]',
        ],
        "five.test": [
          'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
          'event ON_LINE 0 state=[1,"离线"] remoteIP ["127.0.0.11","127.0.0.12","127.0.0.13","127.0.0.14"]',
          'after-close ["nil","nil","nil","nil"]',
        ],
      });
      assert.deepEqual(dns.queries.map((q) => q.name), ["one.test", "two.test", "five.test"]);
    });

    it("a TCP connect to a name gives remoteIP all its addresses (2 records: the first connects)", async () => {
      let accepted = 0;
      const { port } = await tcpServer(() => { accepted++; });
      const r = await exitsCleanly(app("luatos-socket", ["name", "two.test", port], { dns: [server()] }));
      assert.deepEqual(lines(r.stdout), [
        'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
        'event ON_LINE 0 state=[5,"在线"] remoteIP ["127.0.0.1","127.0.0.2","nil","nil"]',
        'after-close ["nil","nil","nil","nil"]',
      ]);
      assert.equal(accepted, 1);
    });

    it("a refused address is followed by the next one, in order, up to the 4th (LuatOS network_state_connecting)", async () => {
      const peers = [];
      const { port } = await tcpServer((s) => peers.push(s.remoteAddress));
      const r = await exitsCleanly(app("luatos-socket", ["name", "fallback.test", port, server(), "debug"]));
      assert.deepEqual(lines(r.stdout).map((l) => l.replace(/failed \(-?\d+\)/, "failed")), [
        "setDNS true",
        'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
        "D/socket NWCTRL*: 1 127.0.0.2 failed, trying 127.0.0.3",
        "D/socket NWCTRL*: 1 127.0.0.3 failed, trying 127.0.0.4",
        "D/socket NWCTRL*: 1 127.0.0.4 failed, trying 127.0.0.1",
        "D/socket NWCTRL*: 1 ON_LINE 0",
        'event ON_LINE 0 state=[5,"在线"] remoteIP ["127.0.0.2","127.0.0.3","127.0.0.4","127.0.0.1"]',
        'after-close ["nil","nil","nil","nil"]',
      ]);
      assert.deepEqual(peers, ["127.0.0.1"]);
    });

    it("ON_LINE(-1) comes once, after every address was refused; remoteIP keeps them until close", async () => {
      const port = await closedPort();
      const r = await exitsCleanly(app("luatos-socket", ["name", "refused.test", port], { dns: [server()] }));
      assert.deepEqual(lines(r.stdout), [
        'connect [true,false] state=[2,"等待DNS"] remoteIP ["nil","nil","nil","nil"]',
        'event ON_LINE -1 state=[1,"离线"] remoteIP ["127.0.0.2","127.0.0.3","nil","nil"]',
        'after-close ["nil","nil","nil","nil"]',
      ]);
    });
  });
});
