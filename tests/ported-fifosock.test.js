// The fifosock demo (examples/fifosock, a port of NodeMCU's lua_modules/fifo fifo.lua + fifosock.lua +
// fifosocktest.lua): fifosocktest's checks pass inside XS, and Node TCP peers receive the demo's stream of
// many queued sends (small, around the thresholds, tens of kilobytes, multi-byte UTF-8, generators)
// byte-exact and in order.
import assert from "node:assert/strict";
import net from "node:net";
import { startApp } from "./support/sim.js";

// the stream of examples/fifosock/stream.ts, computed independently
const UNITS = ["a", "\u00e9", "\u20ac", "\u{1F600}", "ab", "Zz9"];
const SIZES = [1, 7, 30, 255, 256, 257, 272, 273, 600, 3000, 40, 5, 70000, 12, 1500, 30000, 17];
const PIECES = 60;
function expectedStream() {
  const parts = [];
  for (let i = 0; i < PIECES; i++) {
    parts.push(`<${i}>` + UNITS[i % UNITS.length].repeat(SIZES[i % SIZES.length]) + "\n");
    if (i % 10 === 9) for (let j = 1; j <= 3; j++) parts.push(`(g${i}.${j})`);
  }
  return Buffer.from(parts.join(""), "utf8");
}

/** Connect, read until the server closes; resolves the bytes. */
function receiveAll(port) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect(port, "127.0.0.1");
    s.on("data", (d) => chunks.push(d));
    s.on("end", () => resolve(Buffer.concat(chunks)));
    s.on("error", reject);
    s.setTimeout(20000, () => { s.destroy(); reject(new Error("no end of stream within 20 s")); });
  });
}

/** Where `got` first differs from `want`, for a readable failure. */
function firstDifference(got, want) {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return i;
  return n;
}

describe("ported: fifosock (lua_modules/fifo)", function () {
  this.timeout(60000);
  let app;
  let port;
  const expected = expectedStream();

  before(async function () {
    app = startApp("tests/apps/ported-fifosock.ts", { timeout: 120 });
    const m = await app.waitFor(/fifosock demo listening on (\d+)\n/);
    port = Number(m[1]);
  });
  after(async () => {
    if (!app) return;
    const r = await app.kill();
    assert.equal(r.stderr, "", "the simulator reported no uncaught exception");
  });

  it("passes fifosocktest.lua's checks (coalescing, splitting, generators) inside XS", () => {
    assert.match(app.stdout, /^All tests OK\n/);
  });

  it("a TCP peer receives the whole stream byte-exact and in order, then the close", async () => {
    const got = await receiveAll(port);
    const at = firstDifference(got, expected);
    assert.ok(got.equals(expected),
      `received ${got.length} bytes, expected ${expected.length}; first difference at byte ${at}: ` +
      JSON.stringify(got.subarray(Math.max(0, at - 20), at + 20).toString()));
    // the pieces are in order
    const text = got.toString("utf8");
    let last = -1;
    for (const m of text.matchAll(/<(\d+)>/g)) {
      assert.equal(Number(m[1]), last + 1);
      last = Number(m[1]);
    }
    assert.equal(last, PIECES - 1);
    await app.waitFor(new RegExp(`stream to port \\d+ done: ${PIECES} pieces\\n`));
  });

  it("three peers at once each receive their own complete stream", async () => {
    const all = await Promise.all([receiveAll(port), receiveAll(port), receiveAll(port)]);
    for (const got of all) {
      assert.equal(got.length, expected.length);
      assert.ok(got.equals(expected), "a stream differs");
    }
  });

  it("a peer that leaves in the middle of its stream does not disturb the server or the next peer", async () => {
    await new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1");
      let n = 0;
      s.on("data", (d) => { n += d.length; if (n > 100000) s.destroy(); });
      s.on("close", resolve);
      s.on("error", reject);
    });
    const got = await receiveAll(port);
    assert.ok(got.equals(expected), "the next stream differs");
    assert.equal(app.proc.exitCode, null, "the simulator is still running");
  });

  it("a peer that pauses after every read still gets everything", async () => {
    const got = await new Promise((resolve, reject) => {
      const chunks = [];
      const s = net.connect({ port, host: "127.0.0.1", highWaterMark: 1024 });
      s.on("data", (d) => {
        chunks.push(d);
        s.pause();
        setTimeout(() => s.resume(), 2);
      });
      s.on("end", () => resolve(Buffer.concat(chunks)));
      s.on("error", reject);
    });
    assert.ok(got.equals(expected), `received ${got.length} of ${expected.length} bytes, or other bytes`);
  });
});
