// nodemcu/net UDP sockets in the simulator, with Node dgram sockets as peers (app: tests/apps/net-udp.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, udpSocket, nextDatagram } from "./support/net-peers.js";

describe("nodemcu/net UDP", function () {
  afterEach(cleanup);

  it("runs the docs' UDP echo example (two Node dgram peers)", async () => {
    const a = app("net-udp", ["echo", 2]);
    const m = await a.waitFor(/local UDP socket address \/ port: (\S+):(\d+)\n/);
    assert.equal(m[1], "0.0.0.0");
    const port = Number(m[2]);
    const c = await udpSocket();
    const reply = nextDatagram(c);
    c.send("foo", port, "127.0.0.1");
    const { msg, rinfo } = await reply;
    assert.equal(msg.toString(), "echo: foo");
    assert.equal(rinfo.port, port);
    // the docs' shell test (echo -n "bar" | nc -w1 -u <ip> <port>) from a second peer: the echo goes back to it
    const d = await udpSocket();
    const echoed = nextDatagram(d);
    d.send("bar", port, "127.0.0.1");
    assert.equal((await echoed).msg.toString(), "echo: bar");
    const r = await exitsCleanly(a);
    const out = lines(r.stdout);
    assert.equal(out[1], `received 'foo' from 127.0.0.1:${c.address().port}`);
    assert.equal(out[2], "sent");
    assert.equal(out[3], `received 'bar' from 127.0.0.1:${d.address().port}`);
    assert.equal(out[4], "sent");
    assert.equal(out.length, 5);
  });

  it("binds on first send, receives strings and byte-exact buffers, sent per send, closes and reopens", async () => {
    const peer = await udpSocket();
    const got = [];
    peer.on("message", (msg, rinfo) => {
      got.push(msg);
      if (got.length <= 2) peer.send(msg.length === 256 ? msg : Buffer.from("héllo 😀"), rinfo.port, rinfo.address);
    });
    const r = await exitsCleanly(app("net-udp", ["client", peer.address().port]));
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.deepEqual(lines(r.stdout), [
      "before undefined undefined", "bound true 0.0.0.0", `receive string "héllo 😀" from 127.0.0.1:true`,
      `receive true ${all.toString("hex")}`, "sent-count 3", "close-again not connected",
      "after-close undefined undefined", "relisten true 127.0.0.1", "done",
    ]);
    assert.equal(got.length, 3);
    assert.equal(got[0].toString(), "hello");
    assert.ok(got[1].equals(all));
    assert.equal(got[2].length, 1472);
  });

  it("checks every argument with NodeMCU's messages", async () => {
    const r = await exitsCleanly(app("net-udp", ["errors"]));
    assert.deepEqual(lines(r.stdout), [
      "close-unbound not connected", "send-port0 need port", "send-noport need port", "send-badport invalid port",
      "send-badip invalid IP address", "send-badip2 invalid IP address", "send-empty no data to send",
      "send-badtype wrong arg type", "send-toolarge datagram too large (max 1472 bytes)",
      "send-badcb invalid callback function", "on-badname invalid callback name",
      "on-badfn invalid callback function", "on-null ok", "on-undefined ok",
      'format-bad invalid format (use "string" or "buffer")', "listen-badip invalid IP address",
      "listen-badport invalid port", "listen ok", "listen-again already listening",
      "dns-noname no domain specified", "dns-nocb no callback specified", "ttl ok",
      "close ok",
    ]);
  });
});
