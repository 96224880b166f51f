// Regressions found in review: callbacks never run inside connect()/resolve() even when the DNS query cannot
// be sent; close() while resolving drops the lookup; a format change takes effect at the next delivery; hold()
// before connecting is a no-op; the server timeout does not count time the server itself held the socket.
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { app, cleanup, exitsCleanly, tcpServer, tcpConnect, lines, onCleanup } from "./support/net-peers.js";
import { canUnshare, runInNetns, simArgv } from "./support/netns.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("nodemcu/net regressions", function () {
  afterEach(cleanup);

  it("a DNS query that cannot be sent fails on a later turn: retrying from disconnection cannot recurse", async function () {
    if (!canUnshare()) this.skip();
    // a new network namespace with lo down: 127.0.0.1 is unreachable, sendto() fails at once, nothing leaves
    const r = await runInNetns("true", simArgv("tests/apps/net-regress.ts", { args: ["dns-unsendable"], timeout: 20 }));
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.ok(!out.some((l) => l.includes("inside=true")), r.stdout);
    assert.equal(out.filter((l) => l === "disconnection -6 inside=false").length, 30, r.stdout);
    assert.ok(out.includes("retried 30 times"));
    assert.ok(out.includes("resolve undefined inside=false"));
  });

  it("close() while connect() resolves a name cancels the lookup (nothing is left pending)", async () => {
    const silent = dgram.createSocket("udp4"); // a DNS server that never answers
    await new Promise((resolve) => silent.bind(0, "127.0.0.1", resolve));
    onCleanup(() => silent.close());
    const a = app("net-regress", ["close-resolving", `127.0.0.1:${silent.address().port}`], { timeout: 4 });
    const r = await exitsCleanly(a); // without the cancel the lookup's retries keep it alive for 7 s (exit 124)
    assert.equal(r.stdout, "closed\n");
  });

  it("a format change inside receive applies to the next delivery", async () => {
    const { port } = await tcpServer((s) => s.end(Buffer.alloc(20000, 0x61)));
    const r = await exitsCleanly(app("net-regress", ["format-switch", port]));
    const out = lines(r.stdout);
    assert.equal(out[0], "#1 string");
    assert.ok(out.length >= 3, r.stdout);
    assert.deepEqual(out.slice(1, -1).filter((l) => !l.endsWith(" buffer")), [], r.stdout);
  });

  it("hold() before the connection exists does not hold the new connection", async () => {
    const { port } = await tcpServer((s) => s.write("hello"));
    const r = await exitsCleanly(app("net-regress", ["hold-early", port], { timeout: 5 }));
    assert.equal(r.stdout, "receive hello\n");
  });

  it("the server timeout does not drop a client the server itself holds", async () => {
    const a = app("net-regress", ["held-timeout"]);
    const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
    const c = await tcpConnect(port);
    let sent = 0;
    const chunk = Buffer.alloc(1024, 0x62);
    for (let i = 0; i < 70; i++) { // 3.5 s of traffic, held by the server from 0 to 2.5 s
      c.write(chunk);
      sent += chunk.length;
      await sleep(50);
    }
    c.end();
    const r = await exitsCleanly(a);
    assert.ok(!r.stdout.includes("server dropped"), r.stdout);
    assert.match(r.stdout, /unhold\n/);
    assert.match(r.stdout, new RegExp(`client done 0 received ${sent}\\n`));
  });
});
