// net.createServer's argument forms: createServer(net.TCP) alone is the type, with the 30 s default timeout (the
// ESP32 docs' send example and 2.x programs), not a 1-second timeout; any other single number is the 3.x timeout;
// two arguments are (type, timeout). App: tests/apps/server-forms.ts.
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, tcpConnect } from "./support/net-peers.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("nodemcu/net createServer forms", function () {
  this.timeout(15000);
  afterEach(cleanup);

  it("one argument equal to net.TCP is the type (30 s); any other single number, 2 included, is the timeout", async () => {
    const r = await exitsCleanly(app("server-forms", ["forms"]));
    assert.deepEqual(lines(r.stdout), [
      "() server 30", "(TCP) server 30", "(1) server 30", "(2) server 2", "(UDP) server 2", "(5) server 5",
      "(undefined) server 30", "(TCP, 1) server 1", "(TCP, 30) server 30", "(TCP, undefined) server 30",
      "(UDP, 5) udpsocket", "(0) timeout out of range [1-28800]", "(3, 5) invalid type",
    ]);
  });

  it("createServer(net.TCP) keeps a client that has been silent for 2.5 s", async () => {
    const a = app("server-forms", ["silent", "tcp"]);
    const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
    const c = await tcpConnect(port);
    await sleep(2500);
    assert.equal(a.stdout, `listening ${port}\n`);
    c.write("still here");
    const r = await exitsCleanly(a);
    assert.deepEqual(lines(r.stdout).slice(1), ["receive still here"]);
  });

  it("createServer(2) drops a silent client after 2 s with -13", async () => {
    const a = app("server-forms", ["silent", "2"]);
    const port = Number((await a.waitFor(/listening (\d+)\n/))[1]);
    await tcpConnect(port);
    const r = await exitsCleanly(a);
    const m = lines(r.stdout)[1].match(/^disconnection -13 after (\d+\.\d)$/);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[1]) >= 2 && Number(m[1]) <= 3, r.stdout);
  });
});
