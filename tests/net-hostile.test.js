// Hostile input against nodemcu/net apps in the simulator (issue 10, "Faults and hostile input"): an accept
// storm; an exception thrown in every kind of application callback. Apps: tests/apps/hostile-server.ts,
// tests/apps/throwing-callbacks.ts.
import assert from "node:assert/strict";
import net from "node:net";
import crypto from "node:crypto";
import { app, cleanup, exitsCleanly, closedPort, onCleanup, readUntil } from "./support/net-peers.js";

/** Connect, send `block`, await its whole echo, end; resolves "ok" or the failure. */
function echoOnce(port, block) {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1", () => c.write(block));
    const parts = [];
    let got = 0, result;
    c.on("data", (d) => { parts.push(d); got += d.length; if (got >= block.length) c.end(); });
    c.on("error", (e) => { result ??= `${e.code} after ${got} of ${block.length} bytes`; });
    c.on("close", () => resolve(result ?? (Buffer.concat(parts).equals(block) ? "ok" : `echo of ${got} bytes differs`)));
  });
}

describe("nodemcu/net: hostile peers", function () {
  this.timeout(60000);
  afterEach(cleanup);

  it("accept storm: 600 clients connect at once, each sending 32 KiB at once; every one is echoed whole, none reset, and a client connected before goes on", async () => {
    const a = app("hostile-server", [], { timeout: 50 });
    const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
    const early = net.connect(port, "127.0.0.1");
    await new Promise((r) => early.once("connect", r));
    const blocks = Array.from({ length: 600 }, () => crypto.randomBytes(32 * 1024));
    const results = await Promise.all(blocks.map((b) => echoOnce(port, b)));
    const failed = results.filter((r) => r !== "ok");
    assert.deepEqual(failed, [], `${failed.length} of ${results.length} clients failed: ${[...new Set(failed)].slice(0, 5).join("; ")}`);
    // the client connected before the storm is still served
    early.write("after the storm");
    const [echo] = await Promise.race([
      readUntil(early, (got) => got.length >= "after the storm".length).then((got) => [String(got)]),
      new Promise((r) => setTimeout(() => r(["(no echo)"]), 5000)),
    ]);
    assert.equal(echo, "after the storm");
    early.end();
    const stopper = net.connect(port, "127.0.0.1", () => stopper.write("stop"));
    stopper.on("error", () => {});
    const r = await exitsCleanly(a);
    assert.match(r.stdout, /accepted 602 errors 0\n/);
  });

  it("an exception in every kind of callback is reported, and the socket, the other sockets and the VM go on", async () => {
    const r = await exitsCleanly(app("throwing-callbacks", [await closedPort()]));
    const reported = {
      xsnet: ["accept", "connection", "receive", "sent", "disconnection", "reconnection", "dns", "resolve",
        "udp receive", "udp sent", "udp dns", "luatos cbFun"],
      luatos: ["sys task", "sys subscriber", "sys timer", "sys loop timer"],
    };
    for (const kind of reported.xsnet)
      assert.match(r.stdout, new RegExp(`^xsnet: uncaught exception: Error: boom ${kind}$`, "m"), kind);
    for (const kind of reported.luatos)
      assert.match(r.stdout, new RegExp(`^E/sys [^\\n]*: Error: boom ${kind}$`, "m"), kind);
    const continues = ["accept", "connection", "sent", "receive", "reconnection", "dns", "resolve", "udp sent",
      "udp receive", "udp dns", "luatos cbFun", "sys task", "sys subscriber", "sys timer", "sys loop timer"];
    for (const kind of continues) assert.match(r.stdout, new RegExp(`^${kind} continues`, "m"), kind);
    assert.match(r.stdout, /^tcp client ended$/m);   // "disconnection" threw after the client's last step
    assert.match(r.stdout, /^thrown 16\nall done\n$/m);
  });

  it("a peer sending 20 KB of text with invalid UTF-8 in it: decoded with U+FFFD, no stack overflow (TCP text and zbuff toStr)", async () => {
    // one invalid byte in each 1000: every chunk goes through the JS decoder for invalid input
    const block = Buffer.alloc(20000, 0x41);
    for (let i = 500; i < block.length; i += 1000) block[i] = 0xFF;
    const server = net.createServer((c) => { c.on("error", () => {}); c.end(block); });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    onCleanup(() => server.close());
    const r = await exitsCleanly(app("utf8-receiver", [server.address().port]));
    assert.match(r.stdout, /^got 20000 fffd 20$/m);
    assert.match(r.stdout, /^zbuff 20000$/m);
  });
});
