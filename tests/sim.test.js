// The simulator itself: a real XS engine running compiled modules with host sockets and timers.
import assert from "node:assert/strict";
import net from "node:net";
import { runApp } from "./support/sim.js";

describe("simulator (hosts/sim)", function () {
  it("runs modules, timers, promise jobs and a streaming TextDecoder, then exits 0 when idle", async () => {
    const r = await runApp("tests/apps/smoke.ts", { args: ["a", "b c"] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'args ["a","b c"]\norder sync,job,timeout,timer repeat 3 euro \u20ac\n');
  });

  it("provides ECMA-419 TCP, Listener and UDP over real sockets", async () => {
    const r = await runApp("tests/apps/raw-loopback.ts", { timeout: 10 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^listening 127\.0\.0\.1:(\d+)\n/);
    const port = r.stdout.match(/^listening 127\.0\.0\.1:(\d+)/)[1];
    assert.match(r.stdout, new RegExp(`client writable 65536 local 127\\.0\\.0\\.1 remote 127\\.0\\.0\\.1:${port}\\n`));
    assert.match(r.stdout, /client got hello\n/);
    assert.match(r.stdout, /server onError 0\n/); // orderly close seen by the server
    assert.match(r.stdout, /refused onError -14\n/); // ERR_RST, as lwIP reports a refused connection
    assert.match(r.stdout, /udp a got ping from 127\.0\.0\.1:\d+\n/);
  });

  it("TCP read(buffer) copies at most the buffer's size and keeps the rest", async () => {
    const r = await runApp("tests/apps/raw-read-buffer.ts", { timeout: 10 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'parts ["hell","o wo","rld"]\n');
  });

  it("TCP reads outside onReadable that leave a partial record reopen the window: 1 MiB arrives", async () => {
    const total = 1 << 20;
    const server = net.createServer((s) => { s.on("error", () => {}); s.end(Buffer.alloc(total, 0x78)); });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const r = await runApp("tests/apps/raw-partial-read.ts", { args: [server.address().port, total], timeout: 15 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `got ${total - 1}\n`);
    } finally {
      server.close();
    }
  });

  it("trace() writes exactly its argument", async () => {
    const r = await runApp("tests/apps/fail-rejection.ts", { args: ["handled"] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "before handled");
  });

  it("exits 1 with the reason on an unhandled rejection", async () => {
    const r = await runApp("tests/apps/fail-rejection.ts", { args: ["reject"] });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unhandled rejection: Error: nobody handles this/);
  });

  it("exits 1 with the message on an uncaught exception", async () => {
    const r = await runApp("tests/apps/fail-rejection.ts", { args: ["throw"] });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /TypeError: top-level throw/);
  });

  it("exits 124 when --timeout expires with work pending", async () => {
    const r = await runApp("tests/apps/fail-rejection.ts", { args: ["pending"], timeout: 1 });
    assert.equal(r.code, 124);
    assert.match(r.stderr, /timed out/);
  });
});
