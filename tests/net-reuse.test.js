// One NodeMCU socket object for several connections (NetSocket is its own core connection): nothing of one
// connection reaches the next; "receive"/"sent" callbacks removed and set again mid-stream (tests/apps/net-reuse.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, tcpServer, lines } from "./support/net-peers.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("nodemcu/net: a socket reused across connections", function () {
  afterEach(cleanup);

  it("a character cut by the first connection's last bytes does not reach the next connection's text", async () => {
    const a = await tcpServer((s) => s.write(Buffer.from([0x61, 0x62, 0xe2, 0x82])));
    const b = await tcpServer((s) => s.end("xyz"));
    const r = await exitsCleanly(app("net-reuse", ["carry", a.port, b.port]));
    assert.deepEqual(lines(r.stdout), ['receive 0 "ab"', 'receive 1 "xyz"', "disconnection 1 0"]);
  });

  it("a connection held before close() does not hold the next one", async () => {
    const a = await tcpServer(() => {});
    const b = await tcpServer((s) => setTimeout(() => s.end("from B"), 100));
    const r = await exitsCleanly(app("net-reuse", ["hold", a.port, b.port], { timeout: 10 }));
    assert.deepEqual(lines(r.stdout), ['receive 1 "from B"', "disconnection 1 0"]);
  });

  it("a \"sent\" due to the closed connection is not delivered on the next; the next's send gets one", async () => {
    let gotA = "";
    const a = await tcpServer((s) => s.on("data", (d) => { gotA += d; }));
    const b = await tcpServer((s) => s.on("data", () => setTimeout(() => s.end(), 200)));
    const r = await exitsCleanly(app("net-reuse", ["sent-owed", a.port, b.port], { timeout: 10 }));
    assert.deepEqual(lines(r.stdout), ["sent 1", "disconnection 1 0 sent 1"]);
    await sleep(100);
    assert.equal(gotA, "to A");
  });

  it("on(\"receive\", nil) / on(\"sent\", nil) mid-stream: no call while unset, the prototype's behaviour; set again, every later event", async () => {
    let got = "";
    const { port } = await tcpServer(async (s) => {
      s.on("data", (d) => { got += d; });
      for (const part of ["1", "2", "3"]) {
        s.write(part);
        await sleep(300);
      }
      s.end();
    });
    const r = await exitsCleanly(app("net-reuse", ["off-and-on", port], { timeout: 10 }));
    assert.deepEqual(lines(r.stdout), ['receive "1"', "on again", 'receive "3"', "sent 2", "disconnection 0"]);
    assert.equal(got, "ab");
  });

  it("an accepted socket of a server with a timeout, reused as a client, is not dropped by the server's limit", async () => {
    const a = await tcpServer((s) => setTimeout(() => s.end("late"), 2000));
    const r = await exitsCleanly(app("net-reuse", ["accepted-reused", a.port], { timeout: 10 }));
    assert.deepEqual(lines(r.stdout), ['receive "late"', "disconnection 0"]);
  });
  it("connect(), close(), connect() again in one turn: only the second attempt's lookup answer counts (one dns, one connection)", async () => {
    const { port } = await tcpServer(() => {});
    const r = await exitsCleanly(app("net-reuse", ["literal-twice", port], { timeout: 10 }));
    assert.deepEqual(lines(r.stdout), ["dns 127.0.0.1", "connection 127.0.0.1:args[1]"]);
  });
});
