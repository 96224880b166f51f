// The shipped examples, run as a user runs them: the hello-server (`npm start`) answers curl, and the
// http-client example fetches from it.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { startApp, runApp, root } from "./support/sim.js";

const run = promisify(execFile);

describe("examples", function () {
  let server;
  before(async function () {
    server = startApp("examples/hello-server/main.ts", { timeout: 60 });
    await server.waitFor(/listening on http:\/\/127\.0\.0\.1:8080\//);
  });
  after(() => server && server.kill());

  it("hello-server answers curl", async () => {
    const { stdout } = await run("curl", ["-sS", "--max-time", "10", "-i", "http://127.0.0.1:8080/"]);
    assert.match(stdout, /^HTTP\/1\.0 200 OK\r\n/);
    assert.match(stdout, /Content-Type: text\/html/);
    assert.match(stdout, /<h1> Hello, NodeMCU\.<\/h1>/);
    await server.waitFor(/GET \/ HTTP\/1\.1\n/); // it printed the request line it received
  });

  it("hello-server serves many clients one after another", async () => {
    for (let i = 0; i < 20; i++) {
      const { stdout } = await run("curl", ["-sS", "--max-time", "10", "http://127.0.0.1:8080/x" + i]);
      assert.match(stdout, /Hello, NodeMCU/);
    }
  });

  it("http-client fetches from the hello-server and sees the disconnection", async () => {
    const r = await runApp("examples/http-client/main.ts", { timeout: 20 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^HTTP\/1\.0 200 OK\r\n/);
    assert.match(r.stdout, /<h1> Hello, NodeMCU\.<\/h1>/);
    assert.match(r.stdout, /-- disconnected \(0\)\n$/);
  });

  it("https-client fetches over TLS from its demo server, the certificate verified", async () => {
    const demo = spawn(process.execPath, ["examples/https-client/server.mjs"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise((resolve, reject) => {
        let out = "";
        demo.stdout.on("data", (d) => /listening/.test(out += d) && resolve());
        demo.on("exit", (code) => reject(new Error(`demo server exited (${code})`)));
      });
      const r = await runApp("examples/https-client/main.ts", { timeout: 20 });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(r.stdout, /<h1> Hello over TLS, NodeMCU\.<\/h1>/);
      assert.match(r.stdout, /-- disconnected \(0\)\n$/);
    } finally {
      demo.kill();
    }
  });
});
