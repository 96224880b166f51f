// The HTTP server example (examples/http-server, a port of NodeMCU's lua_modules/http httpserver.lua +
// http-example.lua), driven with curl as a user would.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import crypto from "node:crypto";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp } from "./support/sim.js";
import { sendAndHalfClose } from "./support/net-peers.js";

const run = promisify(execFile);

/** curl -sS -i ... against the server; resolves {status, headers (lower-case names), body (Buffer)}. */
async function curl(url, ...args) {
  const { stdout } = await run("curl", ["-sS", "-i", "--max-time", "15", ...args, url], { encoding: "buffer", maxBuffer: 64 << 20 });
  // skip interim 100 Continue answers
  let rest = stdout;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    assert.ok(end > 0, `no header end in ${rest.toString().slice(0, 200)}`);
    const head = rest.subarray(0, end).toString("latin1");
    rest = rest.subarray(end + 4);
    const [statusLine, ...lines] = head.split("\r\n");
    const status = Number(statusLine.split(" ")[1]);
    if (status === 100) continue;
    const headers = {};
    for (const l of lines) {
      const i = l.indexOf(":");
      headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    return { statusLine, status, headers, body: rest };
  }
}

describe("ported: http-server (lua_modules/http)", function () {
  this.timeout(30000);
  let app;
  let base;
  let tmp;

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-http-"));
    app = startApp("tests/apps/ported-http-server.ts", { timeout: 120 });
    const m = await app.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\/\n/);
    base = m[1];
  });
  after(async () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (!app) return;
    const r = await app.kill();
    assert.equal(r.stderr, "", "the simulator reported no uncaught exception");
  });

  it("GET / answers the Lua example's Hello, world! with chunked encoding", async () => {
    const r = await curl(base + "/");
    assert.equal(r.statusLine, "HTTP/1.1 200 OK");
    assert.equal(r.headers["transfer-encoding"], "chunked");
    assert.equal(r.headers["connection"], "close");
    assert.equal(r.body.toString(), "Hello, world!\n");
    await app.waitFor(/\+R GET \/\n\+H host 127\.0\.0\.1:\d+\n\+H user-agent curl\/[^\n]*\n\+H accept \*\/\*\n\+B end\n/);
  });

  it("the handler sees the request headers (onheader), names in lower case", async () => {
    const r = await curl(base + "/headers", "-H", "X-Test: 42", "-H", "X-Other-Thing:  spaced value");
    assert.equal(r.status, 200);
    const body = r.body.toString();
    assert.match(body, /^x-test: 42$/m);
    assert.match(body, /^x-other-thing: spaced value$/m);
    assert.match(body, /^host: 127\.0\.0\.1:\d+$/m);
    await app.waitFor(/\+R GET \/headers\n(\+H [^\n]*\n)*\+H x-test 42\n/);
  });

  it("POST with a body: ondata gets the body, then the end", async () => {
    const r = await curl(base + "/echo", "-d", "name=value&caf\u00e9=\u{1F600}");
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(r.body.toString(), "name=value&caf\u00e9=\u{1F600}");
    const bytes = Buffer.byteLength("name=value&caf\u00e9=\u{1F600}");
    await app.waitFor(new RegExp(`\\+R POST /echo\\n(\\+H [^\\n]*\\n)*\\+H content-length ${bytes}\\n(\\+H [^\\n]*\\n)*(\\+B \\d+\\n)+\\+B end\\n`));
  });

  it("POST of a large body arrives byte-exact, also with Expect: 100-continue", async () => {
    const file = path.join(tmp, "big.txt");
    const data = crypto.randomBytes(300000).toString("base64"); // 400,000 bytes
    fs.writeFileSync(file, data);
    const r = await curl(base + "/echo", "--data-binary", "@" + file, "-H", "Expect:");
    assert.equal(r.status, 200);
    assert.equal(r.body.length, data.length);
    assert.ok(r.body.equals(Buffer.from(data)), "echoed body differs");
    const r2 = await curl(base + "/echo", "--data-binary", "@" + file, "-H", "Expect: 100-continue");
    assert.equal(r2.status, 200);
    assert.ok(r2.body.equals(Buffer.from(data)), "echoed body (100-continue) differs");
  });

  it("an unknown URL gets 404", async () => {
    const r = await curl(base + "/nope?x=1");
    assert.equal(r.statusLine, "HTTP/1.1 404 Not Found");
    assert.equal(r.body.toString(), "Not found: /nope?x=1\n");
    // GET on /echo is not a route either
    const r2 = await curl(base + "/echo");
    assert.equal(r2.status, 404);
  });

  it("a request line that is not HTTP/1.1 gets 400", async () => {
    const r = await curl(base + "/", "--http1.0");
    assert.equal(r.status, 400);
  });

  it("keeps serving after clients that leave early (half-closed request, half a request, no request)", async () => {
    const port = new URL(base).port;
    // the request, then FIN at once (as `nc -N`): like NodeMCU, the server's socket closes on the FIN
    await sendAndHalfClose(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
    await new Promise((resolve) => {
      const s = net.connect(Number(port), "127.0.0.1", () => s.end("POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"));
      s.on("close", resolve);
      s.on("error", resolve);
    });
    await new Promise((resolve) => {
      const s = net.connect(Number(port), "127.0.0.1", () => s.destroy());
      s.on("close", resolve);
    });
    await new Promise((r) => setTimeout(r, 200));
    const r = await curl(base + "/");
    assert.equal(r.body.toString(), "Hello, world!\n");
    assert.equal(app.proc.exitCode, null, "the simulator is still running");
  });

  it("serves concurrent clients", async () => {
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      i % 2 ? curl(base + "/") : curl(base + "/echo", "-d", "client " + i)));
    rs.forEach((r, i) => {
      assert.equal(r.status, 200);
      assert.equal(r.body.toString(), i % 2 ? "Hello, world!\n" : "client " + i);
    });
  });
});
