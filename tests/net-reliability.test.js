// Reliability (issue 10): nothing accepted is lost, nothing grows without bound. Real peers on loopback, apps in XS
// (tests/apps/net-reliability.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, tcpServer, tcpConnect, readAll } from "./support/net-peers.js";

describe("nodemcu/net reliability", function () {
  this.timeout(30000);
  afterEach(cleanup);

  it("send() of a string puts well-formed UTF-8 on the wire, as TextEncoder: lone surrogates become EF BF BD", async () => {
    const list = [
      [0xd800], [0x61, 0xdc00, 0x62], [0xd83d, 0xde00], [0x78, 0xd83d], [0xde00, 0x79],
      [0xd83d, 0xd83d, 0xde00], [0xdbff], [0xdfff, 0xd800], [0x0, 0xd800, 0x0], [0xe9, 0xd800], [0x41, 0x42],
      [0x20ac, 0xdc00, 0x20ac],
    ];
    let done;
    const got = new Promise((resolve) => { done = resolve; });
    const { port } = await tcpServer((s) => readAll(s).then(done));
    await exitsCleanly(app("net-reliability", ["send-strings", port, JSON.stringify(list)]));
    const expected = Buffer.concat(list.flatMap((u) => [Buffer.from(String.fromCharCode(...u)), Buffer.from("|")]));
    assert.equal((await got).toString("hex"), expected.toString("hex"));
  });

  it("the server timeout counts sent bytes as activity: a client that only downloads is not dropped", async () => {
    const a = app("net-reliability", ["stream-timeout"]);
    const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
    const c = await tcpConnect(port);
    const all = readAll(c);
    c.write("GET\n");
    const r = await exitsCleanly(a);
    assert.equal((await all).length, 30 * 4096, r.stdout);
    assert.equal(r.stdout, `listening ${port}\nstreamed ${30 * 4096}\n`);
  });

  // A peer that reads only after `ms`: every byte it gets must be the chunks in order (chunk i = 64 KiB of i & 255).
  async function slowReader(ms) {
    let done;
    const got = new Promise((resolve) => { done = resolve; });
    const { port } = await tcpServer((s) => {
      s.pause();
      setTimeout(() => s.resume(), ms);
      readAll(s).then(done);
    });
    return { port, got };
  }
  function assertChunks(buf, count) {
    assert.equal(buf.length, count * 65536);
    for (let i = 0; i < count; i++) {
      const c = buf.subarray(i * 65536, (i + 1) * 65536);
      assert.ok(c.every((b) => b === (i & 255)), `chunk ${i}`);
    }
  }

  for (const [limit, name] of [["default", "the default 1 MiB"], [String(256 * 1024), "a limit set by the app (256 KiB)"]]) {
    it(`the send queue is bounded by ${name}: send() past it throws "send queue full", queues nothing, works again once drained`, async () => {
      const { port, got } = await slowReader(300);
      const r = await exitsCleanly(app("net-reliability", ["queue-full", port, limit]));
      const bound = limit === "default" ? 1048576 : Number(limit);
      const out = r.stdout.split("\n");
      const m = /^refused #(\d+): send queue full \(\d+ bytes queued, limit (\d+)\); queued (\d+) <= (\d+)$/.exec(out[0]);
      assert.ok(m, r.stdout);
      const accepted = Number(m[1]);
      assert.equal(Number(m[2]), bound);
      assert.ok(Number(m[3]) <= bound && Number(m[3]) > bound - 65536, r.stdout);
      assert.ok(accepted * 65536 <= bound + 65536 * 2 && accepted * 65536 > bound - 65536, r.stdout);
      assert.deepEqual(out.slice(1), ["big refused true queued unchanged true", `accepted ${accepted}`, "drained 0", ""]);
      assertChunks(await got, accepted + 1);
    });
  }

  it("luatos/socket tx() past the send queue bound gives [false, true, false] and works again after TX_OK", async () => {
    const { port, got } = await slowReader(300);
    const r = await exitsCleanly(app("net-reliability", ["luatos-queue-full", port]));
    const m = /^tx \[false,true,false\] after (\d+)\ntx again \[true,false,false\]\n$/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assertChunks(await got, Number(m[1]) + 1);
  });

  const SEQUENCES = [
    [0x41], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xef, 0xbb, 0xbf, 0x41],
    [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc2], [0xf0], [0xe0, 0xa0], [0xf0, 0x90], [0xf4, 0x8f, 0xbf],
    [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x8f],
    [0xf5, 0x80], [0xff], [0x80], [0xbf, 0x80], [0xc2, 0xc2, 0xa9], [0xe2, 0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0xe2, 0x82, 0xac], [0xed, 0x9f, 0xbf], [0xee, 0x80],
  ];
  const around = (seq) => [[0x41, ...seq, 0x42], [...seq, ...seq], [0x41, ...seq]];

  it("received text: every split of valid and invalid UTF-8 decodes as Node's TextDecoder (one U+FFFD per maximal subpart)", async () => {
    const list = SEQUENCES.flatMap((s) => [s, ...around(s)]);
    const r = await exitsCleanly(app("net-reliability", ["decode-splits", JSON.stringify(list)]));
    const got = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(got.length, list.length);
    const node = new TextDecoder("utf-8", { ignoreBOM: true });
    const bad = [];
    list.forEach((seq, i) => {
      const text = node.decode(Buffer.from(seq));
      const want = Array.from(text, (c) => c.codePointAt(0));
      if (got[i].length !== 1 || JSON.stringify(got[i][0]) !== JSON.stringify(want)) {
        bad.push(`${Buffer.from(seq).toString("hex")}: want ${JSON.stringify(want)} got ${JSON.stringify(got[i])}`);
      }
    });
    assert.deepEqual(bad, []);
  });

  it("received text: a truncated sequence split across TCP segments is one U+FFFD (41 E2 82 | 42 gives A\uFFFDB)", async () => {
    const parts = [[0x41, 0xe2, 0x82], [0x42, 0xf0, 0x9f], [0x98], [0x80, 0xe2], []];
    const { port } = await tcpServer(async (s) => {
      for (const p of parts) {
        if (p.length) s.write(Buffer.from(p));
        await new Promise((r) => setTimeout(r, 50));
      }
      s.end();
    });
    const r = await exitsCleanly(app("net-reliability", ["receive-text", port]));
    const text = new TextDecoder().decode(Buffer.from(parts.flat()));
    assert.equal(r.stdout, JSON.stringify(Array.from(text, (c) => c.codePointAt(0))) + "\n");
  });
});
