// The ported examples' main.ts files as shipped (default ports, no test hooks): each starts and answers a
// real client. A test is skipped when its default port is taken on this machine.
import assert from "node:assert/strict";
import net from "node:net";
import dgram from "node:dgram";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startApp } from "./support/sim.js";

const run = promisify(execFile);

function tcpPortFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

function udpPortFree(port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket("udp4");
    s.once("error", () => { s.close(); resolve(false); });
    s.bind(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** Connect to 127.0.0.1:port, write `input`, resolve what arrived once `re` matched it (or reject after ms). */
function converse(port, input, re, ms = 5000) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`timed out waiting for ${re}; got:\n${text}`)); }, ms);
    s.setEncoding("utf8");
    s.on("connect", () => s.write(input));
    s.on("data", (d) => {
      text += d;
      if (re.test(text)) { clearTimeout(timer); s.destroy(); resolve(text); }
    });
    s.on("error", (e) => { clearTimeout(timer); reject(e); });
  });
}

describe("ported: the examples' main.ts as shipped", function () {
  this.timeout(30000);
  const apps = [];
  afterEach(async () => {
    const results = await Promise.all(apps.splice(0).map((a) => a.kill()));
    for (const r of results) assert.equal(r.stderr, "", "no uncaught exception");
  });

  it("examples/telnet/main.ts listens on 2323 and evaluates 1+2", async function () {
    if (!(await tcpPortFree(2323))) this.skip();
    const app = startApp("examples/telnet/main.ts", { timeout: 30 });
    apps.push(app);
    await app.waitFor(/Telnet server started \(0\.0\.0\.0:2323\)\n/);
    const text = await converse(2323, "1+2\n", /\n> 3\n> /);
    assert.match(text, /^Welcome to the xsnet JavaScript REPL/);
  });

  it("examples/http-server/main.ts listens on 8081 and answers curl", async function () {
    if (!(await tcpPortFree(8081))) this.skip();
    const app = startApp("examples/http-server/main.ts", { timeout: 30 });
    apps.push(app);
    await app.waitFor(/http-server listening on http:\/\/127\.0\.0\.1:8081\/\n/);
    const { stdout } = await run("curl", ["-sS", "-i", "--max-time", "10", "http://127.0.0.1:8081/"]);
    assert.match(stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(stdout, /\r\n\r\nHello, world!\n$/);
  });

  it("examples/fifosock/main.ts passes its checks and streams on 8083", async function () {
    if (!(await tcpPortFree(8083))) this.skip();
    const app = startApp("examples/fifosock/main.ts", { timeout: 30 });
    apps.push(app);
    await app.waitFor(/^All tests OK\nfifosock demo listening on 8083\n/);
    const text = await converse(8083, "", /\(g59\.3\)$/, 15000);
    assert.match(text, /^<0>a\n<1>\u00e9{7}\n/);
  });

  it("examples/gossip/main.ts and node2.ts (UDP 5000, 5001) gossip with each other", async function () {
    if (!(await udpPortFree(5000)) || !(await udpPortFree(5001))) this.skip();
    const a = startApp("examples/gossip/main.ts", { timeout: 30 });
    const b = startApp("examples/gossip/node2.ts", { timeout: 30 });
    apps.push(a, b);
    // rounds every 3 s: within two or three rounds each has answered the other
    await a.waitFor(/Received ACK from 127\.0\.0\.1:5001\n/, 10000);
    await b.waitFor(/Received ACK from 127\.0\.0\.1:5000\n/, 10000);
  });
});
