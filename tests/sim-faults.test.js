// The simulator's fault-injecting network backend (hosts/sim/net/fault/fault.c, XSNET_SIM_FAULTS): the nodemcu/net
// transfer tests run again over connections that take half of each write, refuse writes for turns on end,
// deliver every upcall late or one received byte at a time; their own assertions (byte-exact streams, "sent"
// once per send(), event order) must still hold. Then the faults that end a connection: a reset after N bytes
// gives the app NodeMCU's error event with -14, and a connect that never completes leaves nothing behind.
import assert from "node:assert/strict";
import path from "node:path";
import { spawn } from "node:child_process";
import { root } from "../tools/sim.js";
import { app, cleanup, exitsCleanly, lines, tcpServer } from "./support/net-peers.js";
import { startApp } from "./support/sim.js";

/** Run test files of ours with mocha, only the tests matching `grep`, with XSNET_SIM_FAULTS=`faults`. */
function mochaWithFaults(faults, files, grep) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(root, "node_modules/mocha/bin/mocha.js"), "--grep", grep,
      ...files.map((f) => path.join(root, "tests", f))],
    { cwd: root, env: { ...process.env, XSNET_SIM_FAULTS: faults }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => resolve({ code, out }));
  });
}

/** Assert that the run passed and ran `count` tests. */
function assertPassed(r, count) {
  assert.equal(r.code, 0, r.out);
  const m = /(\d+) passing/.exec(r.out);
  assert.ok(m, r.out);
  assert.equal(Number(m[1]), count, r.out);
  assert.ok(!/pending|failing/.test(r.out), r.out);
}

describe("simulator: the transfer tests over the fault-injecting backend (XSNET_SIM_FAULTS)", function () {
  this.timeout(300000);
  afterEach(cleanup);

  it("short writes and storms of 'not writable': bulk up, one big send, close with data queued, bytes, UTF-8, half-close, hold", async () => {
    assertPassed(await mochaWithFaults("short,storm=2", ["net-tcp-client.test.js", "net-tcp-server.test.js", "net-flow.test.js"],
      "consecutive sends|sends one 4 MiB string|close\\(\\) with data queued|round-trips all 256|decodes UTF-8|"
      + "fires dns, connection|docs' listen example|send queue chained|nested send|hold\\(\\) blocks a peer"), 10);
  });

  it("upcalls 1 ms late and one received byte at a time: all 256 byte values, UTF-8 characters split anywhere", async () => {
    // Only tests that assert no event granularity: the others expect one receive event per message of the peer,
    // which neither NodeMCU nor lwIP promise (a board splits at the MSS) and one-byte events break by design.
    assertPassed(await mochaWithFaults("split,delay=1", ["net-tcp-client.test.js"], "round-trips all 256|decodes UTF-8"), 2);
  });

  it("upcalls 2 ms late: echo 4 MiB each way, hold/unhold, hold() against a peer writing 8 MiB, half-close", async () => {
    assertPassed(await mochaWithFaults("delay=2", ["net-tcp-client.test.js", "net-tcp-server.test.js", "net-flow.test.js"],
      "echoes 4 MiB|hold\\(\\) stops receive|hold\\(\\) blocks a peer|fires dns, connection|docs' listen example"), 6);
  });

  it("a reset after 100000 bytes: disconnection(-14) once, the peer sees the reset, the app exits", async () => {
    let peerError, echoed = 0;
    const { port } = await tcpServer((s) => {
      s.on("error", (e) => (peerError = e.code));
      s.on("data", (d) => (echoed += d.length));
      s.write(Buffer.alloc(1024 * 1024, 0x61));
    });
    const r = await exitsCleanly(app("net-client", ["echo", port, "buffer"], { env: { XSNET_SIM_FAULTS: "reset=100000" } }));
    assert.deepEqual(lines(r.stdout), ["disconnection -14 events true bad 0"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(peerError, "ECONNRESET");
    assert.ok(echoed < 100000, `echoed ${echoed}`);
  });

  it("a connect that never completes: no connection event, close() leaves nothing pending (without the fault: connection)", async () => {
    let accepted = 0;
    const { port } = await tcpServer(() => accepted++);
    const stalled = await exitsCleanly(app("net-stall", [port, 300], { env: { XSNET_SIM_FAULTS: "no-connect" } }));
    assert.deepEqual(lines(stalled.stdout), ["waited"]);
    const normal = await exitsCleanly(app("net-stall", [port, 300]));
    assert.deepEqual(lines(normal.stdout), ["connection", "waited"]);
    assert.equal(accepted, 2);
  });

  it("an unknown fault stops the simulator at once, naming it", async () => {
    const r = await startApp("tests/apps/net-stall.ts", { args: ["1", "0"], env: { XSNET_SIM_FAULTS: "short,bogus=3" } }).exited;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /XSNET_SIM_FAULTS: unknown fault "bogus=3"/);
  });
});
