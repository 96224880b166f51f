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
});
