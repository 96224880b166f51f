// The simulator's embedded:io/socket/tcp behaves as Moddable's lwIP class does on a board (modules/io/socket/lwip/
// tcp.c and io/common/builtinCommon.c in the Moddable SDK): error classes, closed instances, "number" format,
// the writable count, read() bounds, `from`, use without callbacks. App: tests/apps/ecma419-tcp.ts; Node peers.
import assert from "node:assert/strict";
import { app, cleanup, closedPort, exitsCleanly, lines, pattern, tcpServer } from "./support/net-peers.js";

/** Run a case of the app against `port`; its lines once it exited cleanly. */
async function run(mode, port) {
  const r = await exitsCleanly(app("ecma419-tcp", [mode, port]));
  return lines(r.stdout);
}

describe("ECMA-419 TCP as Moddable's classes (hosts/sim/bindings/tcp.c)", function () {
  this.timeout(20000);
  afterEach(cleanup);

  it("a closed TCP throws SyntaxError from every method and getter; a second close() does nothing; no callback follows", async () => {
    const { port } = await tcpServer((s) => s.end("bytes, then FIN"));
    assert.deepEqual(await run("closed", port), [
      "close-again none",
      "closed read SyntaxError", "closed read-n SyntaxError", "closed write SyntaxError",
      "closed format SyntaxError", "closed set-format SyntaxError",
      "closed remoteAddress SyntaxError", "closed remotePort SyntaxError",
      "closed localAddress SyntaxError", "closed localPort SyntaxError",
      "end",
    ]);
  });

  it("methods and getters called on anything but an open TCP throw SyntaxError", async () => {
    const expected = "SyntaxError SyntaxError SyntaxError SyntaxError SyntaxError";
    assert.deepEqual(await run("receivers", 0),
      ["timer", "decoder", "udp", "string", "array", "object"].map((r) => `receiver ${r} ${expected}`));
  });

  it("the constructor throws the error classes Moddable's throws", async () => {
    const port = await closedPort();
    assert.deepEqual(await run("constructor", port), [
      "constructor no-address Error", "constructor bad-address Error", "constructor name-address Error",
      "constructor symbol-address TypeError", "constructor no-port Error", "constructor undefined-port Error",
      "constructor symbol-port TypeError", "constructor negative-port RangeError", "constructor big-port RangeError",
      "constructor unknown-format RangeError", "constructor string-format RangeError",
      "constructor callback-no-function Error", "constructor callback-null none buffer", "constructor format-empty none buffer",
      "constructor no-object TypeError", "constructor from-number SyntaxError", "constructor from-array SyntaxError",
      "constructor from-object SyntaxError", "constructor from-class SyntaxError", "constructor from-udp SyntaxError",
      "constructor from-closed SyntaxError", "constructor from-empty Error",
    ]);
  });

  it('format "number" writes and reads single bytes; a write of the wrong type throws TypeError', async () => {
    let received = Buffer.alloc(0);
    const { port } = await tcpServer((s) => s.on("data", (d) => { received = Buffer.concat([received, d]); s.write(d); }));
    assert.deepEqual(await run("number", port), [
      "format number", "write-symbol TypeError", "write-byte 1", "buffer-write-number TypeError",
      "buffer-write-string TypeError", "set-format-bad RangeError TypeError", "read 65,66,67",
    ]);
    assert.deepEqual([...received], [0x41, 0x42, 0x43]);
  });

  it("write() beyond the writable count throws, also cumulatively within one onWritable; the count comes back later", async () => {
    let received = 0;
    const { port } = await tcpServer((s) => s.on("data", (d) => { received += d.length; }));
    assert.deepEqual(await run("writable", port), [
      "first 65536", "over Error", "left 10", "over-cumulative Error", "left 0", "over-byte Error", "again true",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(received, 65536);
  });

  it("read() before data is undefined; read(n) or read(buffer) beyond the bytes available throws; unread bytes accumulate", async () => {
    const { port } = await tcpServer((s) => {
      s.write("hello");
      setTimeout(() => s.end(" world"), 100);
    });
    assert.deepEqual(await run("read", port), [
      "before undefined undefined undefined", "before-write Error",
      "readable 5,11", "read-more Error Error", "read-none Error Error Error", "read-wrong TypeError TypeError TypeError",
      "read-4 hell", "read-view 3 ..o w...", "read-number 111", "read-rest rld undefined undefined", "onError 0",
    ]);
  });

  it("from: takes over a TCP not yet used (its callbacks stay silent) and an accepted one with bytes waiting", async () => {
    const { port } = await tcpServer((s) => s.on("data", (d) => s.write(d)));
    assert.deepEqual(await run("from", port), [
      "first after SyntaxError SyntaxError none", "from-again SyntaxError",
      "second writable true buffer 127.0.0.1:true", "second read ping",
      "taken 11 early bytes", "taken onError 0",
    ]);
  });

  it("works without callbacks: write() and read() polled from timers", async () => {
    const { port } = await tcpServer((s) => s.on("data", (d) => s.write(d)));
    assert.deepEqual(await run("polling", port), ["early undefined Error", "polled poll"]);
  });

  it("unread bytes pile up to a 64 KiB receive window (onReadable tells the growing total); reading resumes the stream", async () => {
    const data = pattern(200 * 1024);
    const { port } = await tcpServer(async (s) => {
      for (let o = 0; o < data.length && !s.destroyed; o += 10 * 1024) {
        s.write(data.subarray(o, o + 10 * 1024));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      s.end();
    });
    assert.deepEqual(await run("window", port), ["held 65536 growing true", `total ${200 * 1024}`]);
  });
});
