// nodemcu/net TCP client sockets in the simulator against Node peers on 127.0.0.1 (app: tests/apps/net-client.ts).
import assert from "node:assert/strict";
import http from "node:http";
import crypto from "node:crypto";
import {
  app, appLocalAddress, cleanup, exitsCleanly, lines, tcpServer, closedPort, onCleanup, pattern, readAll, readUntil,
} from "./support/net-peers.js";

/** Assert that `expected` lines occur in `actual` in this order (other lines may come between). */
function assertInOrder(actual, expected) {
  let i = 0;
  for (const line of actual) if (i < expected.length && line === expected[i]) i++;
  assert.equal(i, expected.length, `missing "${expected[i]}" (in order) in:\n${actual.join("\n")}`);
}

describe("nodemcu/net TCP client", function () {
  afterEach(cleanup);

  it("fires dns, connection, receive, sent, disconnection(0) in order; getpeer/getaddr; reconnects", async () => {
    let conns = 0;
    const { port } = await tcpServer((s) => {
      const n = conns++;
      // TCP keeps no message boundaries: "bye" may arrive as "b" + "ye" (XSNET_SIM_FAULTS=short splits every write)
      let text = "", welcomed = false;
      s.on("data", (d) => {
        text += d.toString();
        if (!welcomed && text.startsWith("hello")) { welcomed = true; s.write(`welcome ${n}`); }
        if (text.includes("bye")) s.end();
      });
    });
    const a = app("net-client", ["events", port]);
    const r = await exitsCleanly(a);
    const out = lines(r.stdout);
    const round = [
      "dns 127.0.0.1 true", "connection true", "peer true 127.0.0.1", `addr true ${appLocalAddress}`,
    ];
    assert.deepEqual(out.slice(0, 3), ["before undefined undefined", "connecting true 0.0.0.0", "connect-again already connected"]);
    const noSent = out.filter((l) => !l.startsWith("sent"));
    assert.deepEqual(noSent.slice(3), [
      ...round, 'receive string "welcome 0"', "disconnection 0", "peer-after undefined undefined",
      "addr-after undefined undefined", "close-error not connected", "reconnecting",
      ...round, 'receive string "welcome 1"', "disconnection 0", "peer-after undefined undefined",
      "addr-after undefined undefined", "close-error not connected", "done",
    ]);
    // one "sent" per send(): "hello" and "bye" in each round, each before that round's disconnection
    const rounds = r.stdout.split("disconnection 0");
    assert.equal(rounds.length, 3);
    assert.equal(lines(rounds[0]).filter((l) => l === "sent true").length, 2);
    assert.equal(lines(rounds[1]).filter((l) => l === "sent true").length, 2);
    assert.equal(lines(rounds[2]).filter((l) => l.startsWith("sent")).length, 0);
    assert.equal(conns, 2);
  });

  it("local close() fires no event, delivers what was sent, and the socket connects again", async () => {
    const reads = [];
    const { port } = await tcpServer((s) => {
      reads.push(readAll(s).then((b) => b.toString()));
    });
    const r = await exitsCleanly(app("net-client", ["local-close", port]));
    assert.deepEqual(lines(r.stdout), [
      "connection 0", "sent 0", "closed 0", "send-after-close not connected",
      "connection 1", "sent 1", "closed 1", "send-after-close not connected", "done",
    ]);
    assert.equal(reads.length, 2);
    assert.deepEqual((await Promise.all(reads)).sort(), ["round 0\n", "round 1\n"]);
  });

  it("connection refused gives reconnection(-14) when registered, else disconnection(-14); retry works", async () => {
    const port = await closedPort();
    const r = await exitsCleanly(app("net-client", ["refused", port]));
    assert.deepEqual(lines(r.stdout), ["a reconnection -14", "b disconnection -14", "b disconnection -14", "done"]);
  });

  it("runs the docs' HTTP client example against a local HTTP server", async () => {
    const server = http.createServer((req, res) => {
      const body = JSON.stringify({ url: req.url, method: req.method, connection: req.headers.connection });
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const r = await exitsCleanly(app("net-client", ["http", server.address().port]));
    const out = lines(r.stdout);
    assert.equal(out[1], "disconnection 0");
    const response = JSON.parse(out[0].slice("response ".length));
    assert.match(response, /^HTTP\/1\.1 200 OK\r\n/);
    const body = JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4));
    assert.deepEqual(body, { url: "/get", method: "GET", connection: "close" });
  });

  it("consecutive sends of any size never drop or reorder data (4 MiB up); sent fires once per send", async () => {
    const total = 4 * 1024 * 1024;
    let received;
    const { port } = await tcpServer((s) => { received = readAll(s); });
    const r = await exitsCleanly(app("net-client", ["bulk-up", port, total], { timeout: 60 }));
    const out = lines(r.stdout);
    const m = /^queued (\d+) in (\d+) sends$/.exec(out[0]);
    assert.ok(m, out.join("\n"));
    assert.equal(Number(m[1]), total);
    assert.deepEqual(out.slice(1), [`sent ${m[2]} of ${m[2]}`]);
    const data = await received;
    assert.equal(data.length, total);
    assert.ok(data.equals(pattern(total)), "byte stream differs from the pattern");
  });

  it("sends one 4 MiB string given before the connection exists, in slices, byte-exact", async () => {
    const unit = "héllo wörld € 😀 ";
    const count = Math.ceil((4 * 1024 * 1024) / Buffer.byteLength(unit));
    let received;
    const { port } = await tcpServer((s) => { received = readAll(s); });
    const r = await exitsCleanly(app("net-client", ["big-send", port, unit, count], { timeout: 60 }));
    assert.deepEqual(lines(r.stdout), ["queued", "connection", "sent"]);
    const data = await received;
    assert.ok(data.equals(Buffer.from(unit.repeat(count))), "bytes differ");
  });

  it("a socket closed with data queued connects again at once; the queue still reaches the first peer", async () => {
    const total = 8 * 1024 * 1024;
    let received, peer, accepted = 0;
    const { port } = await tcpServer((s) => {
      accepted++;
      peer = s;
      received = readAll(s);
      s.pause(); // most of the 8 MiB waits in the app's send queue when it closes
    });
    const second = [];
    const { port: portB } = await tcpServer((s) => {
      second.push(readUntil(s, (b) => b.includes("\n")).then((b) => { s.end("bye"); return b.toString(); }));
    });
    const a = app("net-client", ["reconnect-queued", port, portB, total], { timeout: 60 });
    await a.waitFor(/after close/);
    peer.resume();
    const r = await exitsCleanly(a);
    assert.deepEqual(lines(r.stdout), [
      "dns 0 127.0.0.1", "queued true", "after close 0 [null,null]",
      "dns 1 127.0.0.1", "connection 1 to the second server true", "sent 1", "receive 1 bye", "disconnection 1 0",
    ]);
    const data = await received;
    assert.equal(data.length, total);
    assert.ok(data.equals(pattern(total)));
    assert.equal(accepted, 1);
    assert.deepEqual(await Promise.all(second), ["second\n"]);
  });

  it("close() with data queued sends all of it, then closes, and fires no sent event", async () => {
    // The peer reads nothing until the app has closed, so most of the 8 MiB waits in the app's send queue.
    const total = 8 * 1024 * 1024;
    let received, peer;
    const { port } = await tcpServer((s) => {
      peer = s;
      received = readAll(s);
      s.pause();
    });
    const a = app("net-client", ["close-drain", port, total], { timeout: 60 });
    await a.waitFor(/closed with \d+ queued\n/);
    peer.resume();
    const r = await exitsCleanly(a);
    assert.deepEqual(lines(r.stdout), [`closed with ${total} queued`]);
    const data = await received;
    assert.equal(data.length, total);
    assert.ok(data.equals(pattern(total)));
  });

  for (const format of ["buffer", "string"]) {
    it(`echoes 4 MiB each way byte-exact (format "${format}")`, async () => {
      const total = 4 * 1024 * 1024;
      let data;
      if (format === "buffer") data = crypto.randomBytes(total);
      else {
        // UTF-8 text with 1- to 4-byte characters, so segment boundaries split characters
        const unit = "aé€😀 NodeMCU ñ 中文 🙂\n";
        const u = Buffer.from(unit);
        data = Buffer.alloc(Math.floor(total / u.length) * u.length);
        for (let o = 0; o < data.length; o += u.length) u.copy(data, o);
      }
      let echoed;
      const { port } = await tcpServer((s) => {
        const chunks = [];
        let got = 0;
        echoed = new Promise((resolve) => {
          s.on("data", (d) => {
            chunks.push(d);
            got += d.length;
            if (got >= data.length) {
              s.end();
              resolve(Buffer.concat(chunks));
            }
          });
        });
        s.write(data);
      });
      const a = app("net-client", ["echo", port, format], { timeout: 60 });
      const r = await exitsCleanly(a);
      assert.deepEqual(lines(r.stdout), ["disconnection 0 events true bad 0"]);
      const back = await echoed;
      assert.equal(back.length, data.length);
      assert.ok(back.equals(data), "echoed bytes differ");
      if (format === "buffer") assert.equal(new Set(data).size, 256);
    });
  }

  it("round-trips all 256 byte values (receive as buffer; send ArrayBuffer, view, DataView)", async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    let received;
    const { port } = await tcpServer((s) => {
      const chunks = [];
      received = new Promise((resolve) => {
        s.on("data", (d) => {
          chunks.push(d);
          if (Buffer.concat(chunks).length >= 768) {
            resolve(Buffer.concat(chunks));
            s.end();
          }
        });
      });
      s.write(all);
    });
    const r = await exitsCleanly(app("net-client", ["bytes", port]));
    assert.deepEqual(lines(r.stdout), [`received ${all.toString("hex")}`, "disconnection 0"]);
    assert.ok((await received).equals(Buffer.concat([all, all, all])));
  });

  it("decodes UTF-8 characters split across TCP segments whole", async () => {
    const text = "aé€😀z";
    const bytes = Buffer.from(text);
    const { port } = await tcpServer(async (s) => {
      s.setNoDelay(true);
      for (const b of bytes) {
        s.write(Buffer.from([b]));
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      s.end();
    });
    const r = await exitsCleanly(app("net-client", ["utf8", port]));
    const out = lines(r.stdout);
    assert.equal(out.at(-1), "disconnection 0");
    const parts = out.slice(0, -1).map((l) => JSON.parse(l.slice("receive ".length)));
    assert.equal(parts.join(""), text);
    for (const p of parts) assert.ok(!p.includes("\ufffd"), `replacement character in ${JSON.stringify(p)}`);
  });

  it("an exception in one socket's callback is reported and harms no other socket", async () => {
    const { port } = await tcpServer((s) => {
      s.on("data", (d) => s.write(d));   // echo
    });
    const r = await exitsCleanly(app("net-client", ["throw", port]));
    const out = lines(r.stdout);
    assert.ok(out.includes("xsnet: uncaught exception: Error: boom"), out.join("\n"));
    assertInOrder(out, ['b receive "b1\\n"', 'b receive "b2\\n"', "done"]);
  });

  it("hold() stops receive events until unhold(); then everything arrives in order", async () => {
    const payload = "x".repeat(100000) + "END";
    let a, b;
    const ready = () => {
      if (!a || !b) return;
      a.write(payload);
      b.write("written");
    };
    const { port } = await tcpServer((s) => {
      s.once("data", (d) => {
        if (d[0] === 0x41) a = s;          // "A\n" (its first byte: under short writes "\n" may come apart)
        else b = s;
        ready();
      });
    });
    const r = await exitsCleanly(app("net-client", ["hold", port]));
    assert.deepEqual(lines(r.stdout), ['b "written"', `received ${payload.length}`]);
  });
});
