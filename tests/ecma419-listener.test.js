// The simulator's embedded:io/socket/listener behaves as Moddable's lwIP class does on a board (modules/io/socket/
// lwip/listener.js and tcp.c in the Moddable SDK): error classes, closed instances, read() into `new TCP()`,
// use without callbacks. App: tests/apps/ecma419-listener.ts.
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines } from "./support/net-peers.js";

async function run(mode) {
  const r = await exitsCleanly(app("ecma419-listener", [mode]));
  return lines(r.stdout);
}

describe("ECMA-419 Listener as Moddable's classes (hosts/sim/bindings/listener.c)", function () {
  this.timeout(20000);
  afterEach(cleanup);

  it("the constructor rejects port: undefined (Error) and throws the error classes Moddable's throws", async () => {
    assert.deepEqual(await run("constructor"), [
      "constructor undefined-port Error", "constructor symbol-port TypeError", "constructor negative-port RangeError",
      "constructor big-port RangeError", "constructor string-port none number true", "constructor no-port none number true",
      "constructor buffer-format RangeError", "constructor tcp-format none number true",
      "constructor callback-no-function Error", "constructor bad-address Error",
    ]);
  });

  it("a closed Listener throws SyntaxError from read() and its getters; a second close() does nothing", async () => {
    assert.deepEqual(await run("closed"), [
      "close-again none", "closed SyntaxError SyntaxError SyntaxError socket/tcp",
      "receiver timer SyntaxError SyntaxError", "receiver decoder SyntaxError SyntaxError",
      "receiver udp SyntaxError SyntaxError", "receiver string SyntaxError SyntaxError",
    ]);
  });

  it("closed inside its own onReadable: read() throws there; the waiting connection is closed", async () => {
    assert.deepEqual(await run("closed-in-callback"), ["in-callback 1 SyntaxError", "client onError 0"]);
  });

  it("new TCP() is an empty instance: nothing to read, write() throws, close() works", async () => {
    assert.deepEqual(await run("empty-tcp"), ["empty undefined Error undefined buffer none"]);
  });

  it("works without onReadable: read() polled from a timer hands over a connected TCP", async () => {
    assert.deepEqual(await run("polling"), [
      "nothing undefined", "accepted true 127.0.0.1 true buffer then undefined", "client got hi",
    ]);
  });
});
