// `xsnet run --debug`: the simulator built with XS's debugger connects to xsbug (hosts/sim/debug/xsbug.c). A small peer
// of xsbug's protocol (XML messages over TCP, as Moddable's xsbug speaks it) stands in for xsbug on a loopback
// port (XSBUG_PORT): it sees the machine log in, sets a breakpoint in the TypeScript source, sees it hit at that
// line, steps to the next line, and gets the app's trace() in its log; without a debugger the app just runs.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { root } from "./support/sim.js";

const exec = promisify(execFile);
const xsnet = path.join(root, "tools", "xsnet.js");

const app = `function add(a: number, b: number): number {
  const sum = a + b;
  return sum;
}
trace(\`sum \${add(2, 3)}\\n\`);
`;

/** A stand-in for xsbug: accepts one machine, collects its messages; `expect(re)` waits for one that matches. */
function xsbugPeer() {
  const server = net.createServer();
  let socket, text = "", mark = 0;
  const connected = new Promise((resolve) => server.on("connection", (s) => {
    socket = s;
    s.setEncoding("utf8");
    s.on("data", (d) => { text += d; });
    s.on("error", () => {});
    resolve();
  }));
  return {
    listen: () => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port))),
    connected,
    get text() { return text; },
    send(command) { socket.write(command + "\r\n"); },
    async expect(re, ms = 30000) {
      const end = Date.now() + ms;
      for (;;) {
        const m = text.slice(mark).match(re);
        if (m) { mark += m.index + m[0].length; return m; }
        if (Date.now() > end) throw new Error(`timed out waiting for ${re}; received:\n${text.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() { socket?.destroy(); server.close(); },
  };
}

describe("xsnet run --debug (xsbug's protocol)", function () {
  this.timeout(600000);
  let dir, file;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-debug-"));
    file = path.join(dir, "app.ts");
    fs.writeFileSync(file, app);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("logs in, stops at a breakpoint set in the TypeScript source, steps, and logs trace()", async () => {
    const peer = xsbugPeer();
    const port = await peer.listen();
    const proc = spawn(process.execPath, [xsnet, "run", "--debug", file], {
      cwd: dir, env: { ...process.env, XSBUG_HOST: "127.0.0.1", XSBUG_PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "", stderr = "";
    proc.stdout.on("data", (d) => { stdout += d; });
    proc.stderr.on("data", (d) => { stderr += d; });
    const exited = new Promise((resolve) => proc.on("close", resolve));
    try {
      await Promise.race([peer.connected, exited.then(() => { throw new Error(`exited before connecting: ${stderr}`); })]);
      await peer.expect(/<xsbug><login name="[^"]*" value="XS"\/><\/xsbug>/);
      // one write, as xsbug sends its breakpoints and go: XS ends the login's command loop after the first command
      // it parses, and a <go/> read later (at the app's first lines, or at the breakpoint) would resume from it
      peer.send(`<set-breakpoint path="${file}" line="2"/>\r\n<go/>`);
      const hit = await peer.expect(/<break path="([^"]*)" line="(\d+)"># Break: ([^<]*)<\/break>/);
      assert.equal(hit[1], file);
      assert.equal(hit[2], "2");
      assert.match(hit[3], /breakpoint/);
      assert.equal(stdout, "", "the app ran past its breakpoint");
      peer.send("<step/>");
      const stepped = await peer.expect(/<break path="([^"]*)" line="(\d+)"># Break: ([^<]*)<\/break>/);
      assert.deepEqual([stepped[1], stepped[2]], [file, "3"]);
      peer.send("<go/>");
      await peer.expect(/<log>sum 5&#10;<\/log>/);   // xsbug escapes the newline
      assert.equal(await exited, 0, stderr);
      assert.equal(stdout, "sum 5\n");
    } finally {
      proc.kill("SIGKILL");
      peer.close();
    }
  });

  it("runs without a debugger when nothing listens, saying so", async () => {
    const free = net.createServer();
    await new Promise((r) => free.listen(0, "127.0.0.1", r));
    const port = free.address().port;
    await new Promise((r) => free.close(r));
    const { stdout, stderr } = await exec(process.execPath, [xsnet, "run", "--debug", file],
      { cwd: dir, env: { ...process.env, XSBUG_HOST: "127.0.0.1", XSBUG_PORT: String(port) } });
    assert.equal(stdout, "sum 5\n");
    assert.match(stderr, new RegExp(`no debugger at 127\\.0\\.0\\.1:${port}`));
  });

  it("without --debug, names the TypeScript file and line of an uncaught exception, and seeks no debugger", async () => {
    const bad = path.join(dir, "throws.ts");
    fs.writeFileSync(bad, "interface Unused { a: number }\n\nfunction fail(): never {\n  throw new RangeError(\"boom\");\n}\nfail();\n");
    const r = await exec(process.execPath, [xsnet, "run", bad], { cwd: dir, env: { ...process.env, XSBUG_PORT: "1" } })
      .then(() => ({ code: 0 }), (e) => e);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /debugger/);
    assert.match(r.stderr, new RegExp(`RangeError: boom\\n at fail \\(${bad.replace(/[.]/g, "\\.")}:4\\)\\n at \\(${bad.replace(/[.]/g, "\\.")}:6\\)`));
  });
});
