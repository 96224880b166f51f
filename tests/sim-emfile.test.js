// The simulator's Listener when the process is out of descriptors (EMFILE): it keeps listening, retries at
// most once a second without spinning, accepts again within a second of a descriptor being freed (the clients
// waiting meanwhile are then served), and reports the condition on stderr, never to the app as an exception.
// The simulator runs with RLIMIT_NOFILE lowered (`ulimit -n`); app: tests/apps/emfile-server.ts.
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import { spawn } from "node:child_process";
import { simArgv } from "./support/netns.js";
import { root } from "./support/sim.js";
import { onCleanup, cleanup } from "./support/net-peers.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

/** CPU time (user + system) of process `pid` so far, in seconds. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;   // utime, stime (fields 14, 15)
}

/** A client that collects what it receives; `greeted` resolves at the first line. */
function client(port) {
  const s = net.connect({ port, host: "127.0.0.1" });
  let text = "";
  let onLine;
  const greeted = new Promise((resolve) => { onLine = resolve; });
  s.setEncoding("utf8");
  s.on("data", (d) => { text += d; if (text.includes("\n")) onLine(text); });
  s.on("error", () => {});
  onCleanup(() => s.destroy());
  return { socket: s, greeted, get text() { return text; } };
}

describe("simulator: out of descriptors (EMFILE)", function () {
  this.timeout(30000);
  afterEach(cleanup);

  it("keeps listening without spinning, reports on stderr, and accepts again once a descriptor is free", async () => {
    const limit = 12;
    const argv = simArgv("tests/apps/emfile-server.ts", { timeout: 25 });
    const proc = spawn("sh", ["-c", `ulimit -n ${limit} && exec "$0" "$@"`, ...argv],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    proc.stdout.setEncoding("utf8");
    proc.stderr.setEncoding("utf8");
    proc.stdout.on("data", (d) => { stdout += d; });
    proc.stderr.on("data", (d) => { stderr += d; });
    const exited = new Promise((resolve) => proc.on("close", (code) => resolve(code)));
    onCleanup(() => { if (proc.exitCode === null) proc.kill("SIGKILL"); });
    while (!/listening (\d+)\n/.test(stdout)) {
      assert.equal(proc.exitCode, null, stderr);
      await sleep(20);
    }
    const port = Number(stdout.match(/listening (\d+)\n/)[1]);

    // More clients than descriptors: the first ones are served, the rest wait in the kernel's backlog.
    const clients = [];
    for (let i = 0; i < limit + 4; i++) clients.push(client(port));
    await sleep(1500);
    const served = clients.filter((c) => c.text.startsWith("hello"));
    const waiting = clients.filter((c) => !c.text);
    assert.ok(served.length > 0 && waiting.length > 0, `served ${served.length}, waiting ${waiting.length}`);
    // While exhausted the process sleeps: under 10% of one CPU over 2 s (a busy loop takes ~100%).
    const before = cpuSeconds(proc.pid);
    await sleep(2000);
    const used = cpuSeconds(proc.pid) - before;
    assert.ok(used < 0.2, `the simulator used ${used.toFixed(2)} s of CPU in 2 s while out of descriptors`);
    assert.match(stderr, /xsnet-sim: listener 127\.0\.0\.1:\d+ cannot accept: Too many open files; retrying every second\n/);
    assert.doesNotMatch(stderr, /uncaught exception/);

    // Free one descriptor: a waiting client is served within about a second.
    const freedAt = Date.now();
    served[0].socket.write("bye");
    await Promise.race(waiting.map((c) => c.greeted));
    const delay = Date.now() - freedAt;
    assert.ok(delay < 1500, `accepted ${delay} ms after a descriptor was freed`);

    // Every client leaves once greeted: each waiting one is served in turn, then a last one stops the server.
    for (const c of clients) c.greeted.then(() => c.socket.write("bye"));
    await Promise.all(clients.map((c) => c.greeted));
    const greetings = clients.map((c) => Number(c.text.match(/^hello (\d+)\n/)?.[1]));
    assert.deepEqual(greetings.toSorted((a, b) => a - b), clients.map((_, i) => i + 1));
    assert.match(stderr, /xsnet-sim: listener 127\.0\.0\.1:\d+ accepting again\n/);
    const last = client(port);
    await last.greeted;
    last.socket.write("stop");
    assert.equal(await exited, 0, stderr);
    assert.doesNotMatch(stderr, /uncaught exception/);
  });

  it("connect() without a descriptor reports reconnection(-4) only, and the other sockets go on", async () => {
    const limit = 12;
    const echo = net.createServer((c) => c.on("data", (d) => c.write(d)).on("error", () => {}));
    await new Promise((resolve) => echo.listen(0, "127.0.0.1", resolve));
    onCleanup(() => echo.close());
    const argv = simArgv("tests/apps/emfile-client.ts", { args: [echo.address().port], timeout: 20 });
    const proc = spawn("sh", ["-c", `ulimit -n ${limit} && exec "$0" "$@"`, ...argv],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout.setEncoding("utf8");
    proc.stderr.setEncoding("utf8");
    proc.stdout.on("data", (d) => { out += d; });
    proc.stderr.on("data", (d) => { out += d; });
    onCleanup(() => { if (proc.exitCode === null) proc.kill("SIGKILL"); });
    const code = await new Promise((resolve) => proc.on("close", resolve));
    assert.equal(code, 0, out);
    const failed = out.match(/^failed (\d+) (-?\d+)$/m);
    assert.ok(failed && Number(failed[1]) > 1 && Number(failed[1]) < limit, out);
    assert.equal(failed[2], "-4", out);
    assert.match(out, /^echo ok\nconnected again\ndone\n/m);
    assert.doesNotMatch(out, /uncaught exception/);
  });
});
