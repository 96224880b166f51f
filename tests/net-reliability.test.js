// Reliability (issue 10): nothing accepted is lost, nothing grows without bound. Real peers on loopback, apps in XS
// (tests/apps/net-reliability.ts).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { app, cleanup, onCleanup, exitsCleanly, tcpServer, tcpConnect, readAll, sendAndHalfClose, simStack } from "./support/net-peers.js";

// A reply smaller than the writable count, in 4096-byte sends: the count is 64 KiB on POSIX, lwIP's TCP_SND_BUF (5760,
// as an ESP32's) under XSNET_SIM_STACK=lwip
const SMALL_REPLY = simStack === "lwip" ? 4096 : 61440;

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

  // Byte i of the app's half-close reply (tests/apps/net-reliability.ts "half-close-reply").
  function replyBytes(total) {
    const b = Buffer.alloc(total);
    for (let i = 0; i < total; i++) b[i] = (i + 7 * (i >>> 8) + 13 * (i >>> 16)) & 255;
    return b;
  }

  // A python3 peer with a small receive buffer and a small MSS (so the kernel sizes the app's socket send buffer at
  // ~40 KB: a bigger reply waits partly in the host socket's own queue, as in lwIP's): sends `request`, shuts down its write side, reads only after `waitMs`,
  // then everything until the app closes; resolves to the bytes received.
  function slowHalfCloser(port, request, waitMs) {
    const script = [
      "import socket, sys, time",
      "s = socket.socket()",
      "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)",
      "s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)",
      "s.connect(('127.0.0.1', int(sys.argv[1])))",
      "s.sendall(sys.argv[2].encode())",
      "s.shutdown(socket.SHUT_WR)",
      "time.sleep(int(sys.argv[3]) / 1000)",
      "s.settimeout(60)",   // the app computes an 8 MiB reply first: seconds on the sanitizer build under load
      "while True:",
      "  d = s.recv(65536)",
      "  if not d: break",
      "  sys.stdout.buffer.write(d)",
    ].join("\n");
    const p = spawn("python3", ["-c", script, String(port), request, String(waitMs)], { stdio: ["ignore", "pipe", "inherit"] });
    onCleanup(() => p.kill());
    const chunks = [];
    p.stdout.on("data", (d) => chunks.push(d));
    return new Promise((resolve) => p.on("close", () => resolve(Buffer.concat(chunks))));
  }

  it("half-close: a reply smaller than the writable count sent after the peer's FIN arrives whole, then FIN; \"sent\", then \"disconnection\" 0 once", async () => {
    const total = SMALL_REPLY;
    for (let run = 0; run < 3; run++) {
      const a = app("net-reliability", ["half-close-reply", total, 4096]);
      const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
      const got = await slowHalfCloser(port, "GET /\n", 500);
      const r = await exitsCleanly(a);
      assert.equal(r.stdout, `listening ${port}\ndisconnection 0 sent ${total / 4096}\n`, `run ${run}`);
      assert.equal(got.length, total, `run ${run}`);
      assert.ok(got.equals(replyBytes(total)), `run ${run}: bytes differ`);
    }
  });

  it("half-close: an 8 MiB reply after the peer's FIN: a byte-exact prefix arrives, exactly the sends reported \"sent\" (and part of the next); \"disconnection\" -15 (ERR_CLSD) once, no \"sent\" for the dropped sends", async function () {
    this.timeout(120000);   // two 8 MiB replies built byte by byte in XS: slow on the sanitizer build
    const total = 8 * 1048576, size = 4096, expected = replyBytes(total);
    for (const peer of ["node", "slow"]) {
      const a = app("net-reliability", ["half-close-reply", total, size], { timeout: 100 });
      const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
      const got = peer === "node" ? await sendAndHalfClose(port, "GET /\n", 20000) : await slowHalfCloser(port, "GET /\n", 300);
      const r = await exitsCleanly(a);
      const m = /^listening \d+\ndisconnection (-?\d+) sent (\d+)\n$/.exec(r.stdout);
      assert.ok(m, `${peer}: ${r.stdout}`);
      assert.equal(Number(m[1]), -15, `${peer}: ${r.stdout}`);
      const sent = Number(m[2]);
      assert.ok(sent < total / size, `${peer}: ${r.stdout}`);
      // exactly what the host socket took arrives: every send() reported "sent", and at most a part of the next one
      assert.ok(got.length >= sent * size && got.length < (sent + 1) * size,
        `${peer}: ${got.length} bytes arrived, ${sent} sends of ${size} reported "sent"`);
      assert.ok(got.equals(expected.subarray(0, got.length)), `${peer}: the ${got.length} bytes are no prefix of the reply`);
    }
  });

  it("half-close, luatos/socket: what the stack took arrives; a tx still queued at the peer's FIN gets TX_OK(-1), else TX_OK(0) then EVENT(-1)", async () => {
    for (const [total, want] of [[SMALL_REPLY, "TX_OK 0\nEVENT -1\n"], [8 * 1048576, "TX_OK -1\n"]]) {
      let done;
      const got = new Promise((resolve) => { done = resolve; });
      const { port } = await tcpServer((s) => {
        readAll(s).then(done, () => done(Buffer.alloc(0)));
        s.end("GET /\n");
      });
      const r = await exitsCleanly(app("net-reliability", ["luatos-half-close", port, total, 4096]));
      assert.equal(r.stdout, want, `${total}`);
      const bytes = await got;
      assert.ok(total === SMALL_REPLY ? bytes.length === total : bytes.length < total, `${total}: ${bytes.length} arrived`);
      assert.ok(bytes.equals(replyBytes(total).subarray(0, bytes.length)), `${total}: no prefix of the reply`);
    }
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
    // String.fromArrayBuffer (the ASCII fast path) stops at NUL and takes these shapes: decoded as Node does
    [0x00], [0x41, 0x00, 0x00, 0x42], [0x7f, 0x7f], [0xf8, 0x80, 0x80, 0x80], [0xc1, 0x81], [0xf0, 0x80, 0x80, 0x80],
    [0xed, 0xbf, 0xbf], [0xf7, 0xbf, 0xbf, 0xbf], [0x41, 0x42, 0x43, 0x44, 0x45],
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
