// luatos/socket UDP: a connected client and a udpsrv-style server, with Node dgram peers on 127.0.0.1
// (app: tests/apps/luatos-udp.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, udpSocket, closedPort } from "./support/net-peers.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("luatos/socket UDP", function () {
  afterEach(cleanup);

  it("client: 5-byte peer address, datagram limit 1460, limit discards the rest, read, all 256 byte values", async () => {
    const peer = await udpSocket();
    const other = await udpSocket();
    const got = [];
    let client;
    peer.on("message", (msg, rinfo) => { got.push(msg); client = rinfo; });
    const a = app("luatos-udp", ["client", peer.address().port]);
    await a.waitFor(/tx-all \[true,false,false\]\n/);
    while (got.length < 3) await sleep(10);
    assert.deepEqual(got.map((m) => m.length), [5, 1460, 256]);
    assert.equal(got[0].toString(), "hello");
    assert.ok(got[2].equals(Buffer.from(Array.from({ length: 256 }, (_, i) => i))));
    other.send("not from the peer", client.port, "127.0.0.1");
    await sleep(100);
    peer.send("hi", client.port, "127.0.0.1");
    await a.waitFor(/ready-2\n/);
    peer.send(Buffer.alloc(100, "a"), client.port, "127.0.0.1");
    peer.send("bbbbb", client.port, "127.0.0.1");
    peer.send("ccccccc", client.port, "127.0.0.1");
    peer.send(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), client.port, "127.0.0.1");
    const out = lines((await exitsCleanly(a)).stdout);
    assert.deepEqual(out, [
      "config true",
      'connect [true,false] state=[5,"在线"]',
      'event ON_LINE 0 state=[5,"在线"]',
      "tx [true,false,false]",
      "tx-1461 [false] tx-1460 [true,false,false]",
      "tx-all [true,false,false]",
      'event EVENT 0 state=[5,"在线"]',
      "rx-len [true,2]",
      "rx true 2 5:0.127.0.0.1 true hi",
      "rx-none [true,0]",
      "ready-2",
      'event EVENT 0 state=[5,"在线"]',
      "limit10 10 aaaaaaaaaa",
      "limit0 0 used=0",
      "read true \"ccccccc\" 5:0.127.0.0.1 true",
      "all 256 exact=true",
      'discon [true,true] state=[1,"离线"]',
      "tx-after [false]",
    ]);
  });

  it("server (udpsrv): takes datagrams from any peer and answers with tx(ctrl, data, ip, port)", async () => {
    const port = await closedPort();
    const a = app("luatos-udp", ["server", port, 2]);
    await a.waitFor(/online 0\n/);
    const p1 = await udpSocket(), p2 = await udpSocket();
    const answer = (s) => new Promise((resolve) => s.once("message", (m) => resolve(m.toString())));
    const r1 = answer(p1);
    p1.send("one", port, "127.0.0.1");
    assert.equal(await r1, "re: one");
    const r2 = answer(p2);
    p2.send("two", port, "127.0.0.1");
    assert.equal(await r2, "re: two");
    const out = lines((await exitsCleanly(a)).stdout);
    assert.deepEqual(out, [
      "config true", "connect true", "online 0",
      "answered [true,false,false]", "recv one from 127.0.0.1 number",
      "answered [true,false,false]", "recv two from 127.0.0.1 number",
    ]);
  });
});
