// `npx xsnet repl` through a real pseudo-terminal (tests/support/pty-run.py), as a user types: a server started
// from the prompt answers curl and its "receive" event is printed while the prompt stays usable; multi-line
// blocks, results, exceptions, history (arrow up), declarations kept between lines, Ctrl-D to leave.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { root } from "./support/sim.js";

const exec = promisify(execFile);

function startRepl(home) {
  const proc = spawn("python3", [path.join(root, "tests", "support", "pty-run.py"), process.execPath,
    path.join(root, "tools", "xsnet.js"), "repl"], { env: { ...process.env, HOME: home, TERM: "xterm" } });
  let out = "";
  let mark = 0;
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", (d) => { out += d; });
  proc.stderr.on("data", (d) => { out += d; });
  const exited = new Promise((resolve) => proc.on("close", (code) => resolve(code)));
  // the terminal's output without escape sequences (cursor moves, line clears)
  const plain = () => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
  return {
    exited,
    get output() { return plain(); },
    type(text) { proc.stdin.write(text); },
    /** Wait for `re` in the output printed after the previous match. */
    async expect(re, ms = 30000) {
      const end = Date.now() + ms;
      for (;;) {
        const m = plain().slice(mark).match(re);
        if (m) { mark += m.index + m[0].length; return m; }
        if (Date.now() > end) throw new Error(`timed out waiting for ${re}; output:\n${plain()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill() { proc.kill("SIGKILL"); },
  };
}

describe("xsnet repl (on a pty)", function () {
  this.timeout(120000);
  let home, repl;
  before(() => { home = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-repl-")); });
  after(() => { repl?.kill(); fs.rmSync(home, { recursive: true, force: true }); });

  it("starts a server from the prompt, prints its events while the prompt stays usable, and leaves on Ctrl-D", async () => {
    repl = startRepl(home);
    await repl.expect(/net, socket, sys, libnet, zbuff and print\(\) are in scope[^\n]*\n> /);
    repl.type('srv = net.createServer(net.TCP, 30)\r');
    await repl.expect(/NetServer \{ timeout: 30 \}\n> /);
    repl.type('srv.listen(0, "127.0.0.1", (c) => { c.on("receive", (s, d) => { print("event: receive", d.split("\\r\\n")[0]); s.send("HTTP/1.0 200 OK\\r\\n\\r\\nfrom the repl\\n"); }); c.on("sent", (s) => s.close()); })\r');
    await repl.expect(/undefined\n> /);
    repl.type("const [port, ip] = srv.getaddr()\r");
    await repl.expect(/undefined\n> /);
    repl.type("port\r");
    const port = Number((await repl.expect(/\n(\d+)\n> /))[1]);
    assert.ok(port > 0);
    const { stdout } = await exec("curl", ["-sS", "--max-time", "10", `http://127.0.0.1:${port}/x`]);
    assert.equal(stdout, "from the repl\n");
    await repl.expect(/event: receive\tGET \/x HTTP\/1\.1\n/);
    // the prompt still works: a multi-line block, a declaration kept for the next line, an exception
    repl.type("function twice(n) {\r");
    await repl.expect(/\.\.\. /);
    repl.type("  return 2 * n\r}\r");
    await repl.expect(/undefined\n> /);
    repl.type("twice(port) === 2 * port\r");
    await repl.expect(/true\n> /);
    repl.type('throw new RangeError("no such thing")\r');
    await repl.expect(/Uncaught RangeError: no such thing\n> /);
    // history: arrow up gives the previous line back
    repl.type("\x1b[A\x1b[A\r");
    await repl.expect(/true\n> /);
    repl.type("\x04");
    assert.equal(await repl.exited, 0);
    assert.match(fs.readFileSync(path.join(home, ".xsnet_repl_history"), "utf8"), /^twice\(port\) === 2 \* port$/m);
  });
});
