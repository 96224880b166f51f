// Flow control (hold/unhold) and the server inactivity timeout, against real Node peers on 127.0.0.1.
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, tcpServer, tcpConnect, pattern } from "./support/net-peers.js";

function fnv1a(buffer) {
  let h = 0x811c9dc5;
  for (const b of buffer) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("nodemcu/net flow control and server timeout", function () {
  afterEach(cleanup);

  it("hold() blocks a peer that keeps writing 8 MiB; after unhold() everything arrives, byte-exact", async () => {
    const data = pattern(8 * 1024 * 1024);
    let peer;
    const { port } = await tcpServer((s) => {
      peer = s;
      s.write(data, () => s.end());
    });
    const a = app("net-flow", ["hold", port, 1500]);
    await a.waitFor(/held\n/);
    await sleep(1000);
    // The app reads nothing while held, so TCP's window closes: the peer cannot hand over all its bytes.
    assert.ok(peer, "the app connected");
    assert.ok(peer.writableLength > 0, `the peer should be blocked, yet it has written everything (${peer.bytesWritten} bytes)`);
    await a.waitFor(/unhold after 0 receive events\n/, 5000);
    const r = await exitsCleanly(a);
    assert.match(r.stdout, new RegExp(`done ${data.length} ${fnv1a(data)} err 0\\n`));
  });

  it("drops a client silent for the timeout with -13; a client that talks stays connected", async () => {
    const a = app("net-flow", ["timeout", 2]);
    const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
    const silent = await tcpConnect(port);
    const talker = await tcpConnect(port);
    const silentPort = silent.localPort, talkerPort = talker.localPort;
    let silentClosed = false, talkerEchoes = 0;
    silent.on("close", () => (silentClosed = true));
    talker.on("data", (d) => (talkerEchoes += d.length));
    for (let i = 0; i < 10; i++) { // 3 s of talking, every 300 ms
      talker.write("x");
      await sleep(300);
    }
    assert.ok(silentClosed, "the silent client was disconnected by the server");
    assert.ok(!talker.destroyed && talker.readyState === "open", "the talking client is still connected");
    assert.equal(talkerEchoes, 10);
    talker.end();
    const r = await exitsCleanly(a);
    assert.match(r.stdout, new RegExp(`reconnection ${silentPort} -13 after >=1s\\n`));
    assert.match(r.stdout, new RegExp(`disconnection ${talkerPort} 0 after >=1s\\n`));
  });
});
