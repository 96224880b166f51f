// The simulator's embedded:io/socket/udp behaves as Moddable's lwIP class does on a board (modules/io/socket/lwip/
// udp.c in the Moddable SDK): closed instances, error classes, use without callbacks. App: tests/apps/ecma419-udp.ts.
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, nextDatagram, udpSocket } from "./support/net-peers.js";

async function run(mode, port = 0) {
  const r = await exitsCleanly(app("ecma419-udp", [mode, port]));
  return lines(r.stdout);
}

describe("ECMA-419 UDP as Moddable's classes (hosts/sim/bindings/udp.c)", function () {
  this.timeout(20000);
  afterEach(cleanup);

  it("a closed UDP throws SyntaxError from read(), write() and its getters; a second close() does nothing", async () => {
    assert.deepEqual(await run("closed"), [
      "close-again none", "closed SyntaxError SyntaxError SyntaxError SyntaxError", "closed format buffer",
      "receiver timer SyntaxError SyntaxError SyntaxError", "receiver decoder SyntaxError SyntaxError SyntaxError",
      "receiver tcp SyntaxError SyntaxError SyntaxError", "receiver string SyntaxError SyntaxError SyntaxError",
    ]);
  });

  it("the constructor throws the error classes Moddable's throws", async () => {
    assert.deepEqual(await run("constructor"), [
      "constructor symbol-port TypeError", "constructor negative-port RangeError", "constructor big-port RangeError",
      "constructor undefined-port none true", "constructor number-format RangeError", "constructor unknown-format RangeError",
      "constructor empty-format none true", "constructor callback-no-function Error", "constructor callback-null none true",
      "constructor bad-address Error",
    ]);
  });

  it("write() throws RangeError for an address that is no IPv4 address, TypeError for symbols and non-buffers", async () => {
    const peer = await udpSocket();
    const got = nextDatagram(peer);
    assert.deepEqual(await run("write", peer.address().port), [
      "write bad-address RangeError RangeError", "write symbol TypeError TypeError", "write no-buffer TypeError TypeError",
      "write port RangeError RangeError", "write ok none",
    ]);
    const { msg } = await got;
    assert.deepEqual([...msg], [1]);   // only the good write left the socket
  });

  it("works without onReadable: datagrams wait for read() polled from a timer", async () => {
    assert.deepEqual(await run("polling"), [
      "empty undefined", "polled one@127.0.0.1:true two@127.0.0.1:true three@127.0.0.1:true then undefined",
    ]);
  });
});
