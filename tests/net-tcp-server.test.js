// nodemcu/net TCP servers in the simulator, with Node and curl as clients (app: tests/apps/net-server.ts).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { app, appLocalAddress, cleanup, exitsCleanly, lines, tcpConnect, readAll, readUntil, onCleanup, sendAndHalfClose } from "./support/net-peers.js";

async function listeningPort(a) {
  const m = await a.waitFor(/listening (\d+) (\S+)\n/);
  return { port: Number(m[1]), ip: m[2] };
}

/** Run a command to completion: {code, stdout}. */
function run(cmd, argv, input) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ["pipe", "pipe", "pipe"] });
    onCleanup(() => { if (p.exitCode === null) p.kill("SIGKILL"); });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => { stdout += d; });
    p.stderr.on("data", (d) => { stderr += d; });
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

describe("nodemcu/net TCP server", function () {
  afterEach(cleanup);

  it("runs the docs' listen example: sends hello world, prints what it gets, closes (Node clients, one half-closing)", async () => {
    const a = app("net-server", ["hello", 2]);
    const { port, ip } = await listeningPort(a);
    assert.ok(port > 0);
    assert.equal(ip, "0.0.0.0");
    // Node client
    const s = await tcpConnect(port);
    const all = readAll(s);
    s.write("ping from node");
    assert.equal((await all).toString(), "hello world");
    // a client that sends and half-closes at once (as `nc -N`): gets the greeting, its line reaches the server
    const half = await sendAndHalfClose(port, "ping, then FIN");
    assert.equal(half.toString(), "hello world");
    const r = await exitsCleanly(a);
    assert.deepEqual(lines(r.stdout).slice(1), ['receive "ping from node"', 'receive "ping, then FIN"']);
  });

  it("serves the docs' hello world web page to curl", async () => {
    const a = app("net-server", ["web", 2]);
    const { port, ip } = await listeningPort(a);
    assert.equal(ip, "127.0.0.1");
    for (const path of ["/", "/index.html"]) {
      const c = await run("curl", ["-s", "-m", "10", "--http1.0", `http://127.0.0.1:${port}${path}`]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(c.stdout, "<h1> Hello, NodeMCU.</h1>");
    }
    const r = await exitsCleanly(a);
    assert.deepEqual(lines(r.stdout).slice(1), ['request "GET / HTTP/1.0"', 'request "GET /index.html HTTP/1.0"']);
  });

  it("fires connection right after the listen callback when registered there; close() keeps accepted sockets", async () => {
    const a = app("net-server", ["features"]);
    const { port } = await listeningPort(a);
    const c0 = await tcpConnect(port);
    const c0port = c0.localPort;
    await a.waitFor(/after-listen-callback 0\n/);
    const c1 = await tcpConnect(port);
    const c1port = c1.localPort;
    await a.waitFor(/after-listen-callback 1\n/);
    // the echo's bytes, gathered (TCP keeps no boundaries) until as many as "echo <text>" came
    const reply = (s, text) => {
      const echoed = readUntil(s, (got) => got.length >= `echo ${text}`.length);
      s.write(text);
      return echoed.then(String);
    };
    assert.equal(await reply(c0, "one"), "echo one");
    assert.equal(await reply(c0, "close-server"), "echo close-server");
    // the server no longer accepts...
    await assert.rejects(tcpConnect(port), /ECONNREFUSED/);
    // ...but both accepted sockets still work
    assert.equal(await reply(c1, "still"), "echo still");
    assert.equal(await reply(c0, "too"), "echo too");
    c0.end();
    await a.waitFor(/disconnection 0 0\n/);
    c1.end();
    const r = await exitsCleanly(a);
    const out = lines(r.stdout);
    assert.deepEqual(out.slice(1, 4), [
      `accept 0 peer ${c0port} 127.0.0.1 addr ${port} ${appLocalAddress}`, "after-listen-callback 0", "connection 0 true",
    ]);
    assert.deepEqual(out.slice(4), [
      `accept 1 peer ${c1port} 127.0.0.1 addr ${port} ${appLocalAddress}`, "after-listen-callback 1",
      'receive 0 "one"', 'receive 0 "close-server"', "server closed undefined undefined", "close-again not connected",
      'receive 1 "still"', 'receive 0 "too"', "disconnection 0 0", "disconnection 1 0",
    ]);
  });

  it("runs the docs' send queue chained on the sent event", async () => {
    const a = app("net-server", ["queue"]);
    const { port } = await listeningPort(a);
    const s = await tcpConnect(port);
    const all = readAll(s);
    s.write("GET / HTTP/1.0\r\n\r\n");
    assert.equal((await all).toString(), "lots of dataeven more datae.g. content read from a file");
    const r = await exitsCleanly(a);
    assert.equal(lines(r.stdout).at(-1), "done");
  });

  it("runs the docs' nested send callbacks", async () => {
    const a = app("net-server", ["nested"]);
    const { port } = await listeningPort(a);
    const s = await tcpConnect(port);
    const all = await readAll(s);
    assert.equal(all.toString(),
      "HTTP/1.0 200 OK\r\n\r\nsome large chunk of dynamically loaded dataeven more dynamically loaded data");
    const r = await exitsCleanly(a);
    assert.equal(lines(r.stdout).at(-1), "done");
  });

  it("binds any free port, explicit and string ports; already listening; address in use", async () => {
    const r = await exitsCleanly(app("net-server", ["bind"]));
    assert.deepEqual(lines(r.stdout), [
      "before undefined undefined", "any true 0.0.0.0", "again already listening", "in-use address in use",
      "b undefined", "string-port true 127.0.0.1", "placeholder true 127.0.0.1", "done",
    ]);
  });
});
