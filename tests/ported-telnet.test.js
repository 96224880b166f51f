// The telnet example (examples/telnet, a port of NodeMCU's lua_modules/telnet) with a JavaScript REPL, driven
// as a user would: Node TCP clients type lines and read the answers.
import assert from "node:assert/strict";
import net from "node:net";
import { startApp } from "./support/sim.js";
import { sendAndHalfClose } from "./support/net-peers.js";

/** A telnet client: send(line), waitFor(re) on what arrived after the previous match, close(). */
function client(port) {
  const sock = net.connect(port, "127.0.0.1");
  sock.setEncoding("utf8");
  let text = "";
  let mark = 0;
  let closed = false;
  const waiters = new Set();
  const check = () => {
    for (const w of waiters) {
      const m = text.slice(mark).match(w.re);
      if (m) {
        waiters.delete(w);
        clearTimeout(w.timer);
        mark += m.index + m[0].length;
        w.resolve(m);
      }
      else if (closed) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.reject(new Error(`connection closed before ${w.re}; received:\n${text}`));
      }
    }
  };
  sock.on("data", (d) => { text += d; check(); });
  sock.on("close", () => { closed = true; check(); });
  sock.on("error", () => {});
  return {
    connected: new Promise((resolve, reject) => { sock.once("connect", resolve); sock.once("error", reject); }),
    send(s) { sock.write(s); },
    waitFor(re, ms = 5000) {
      return new Promise((resolve, reject) => {
        const w = { re, resolve, reject };
        w.timer = setTimeout(() => { waiters.delete(w); reject(new Error(`timed out waiting for ${re}; received:\n${text}`)); }, ms);
        waiters.add(w);
        check();
      });
    },
    get text() { return text; },
    close() { sock.destroy(); },
  };
}

describe("ported: telnet (lua_modules/telnet)", function () {
  this.timeout(20000);
  let app;
  let port;
  const clients = [];
  const open = async () => {
    const c = client(port);
    clients.push(c);
    await c.connected;
    await c.waitFor(/Welcome to the xsnet JavaScript REPL[^\n]*\n> /);
    return c;
  };

  before(async function () {
    app = startApp("tests/apps/ported-telnet.ts", { timeout: 120 });
    const m = await app.waitFor(/Telnet server started \(127\.0\.0\.1:(\d+)\)\n/);
    port = Number(m[1]);
  });
  afterEach(() => { while (clients.length) clients.pop().close(); });
  after(async () => {
    if (!app) return;
    const r = await app.kill();
    assert.equal(r.stderr, "", "the simulator reported no uncaught exception");
  });

  it("greets with a prompt and evaluates 1+2 to 3", async () => {
    const c = await open();
    c.send("1+2\n");
    await c.waitFor(/^3\r?\n> /);
  });

  it("answers a throwing line with the error and keeps running", async () => {
    const c = await open();
    c.send("throw new Error('boom')\n");
    await c.waitFor(/^Error: boom\n> /);
    c.send("foo.bar\n");
    await c.waitFor(/^ReferenceError: [^\n]*foo[^\n]*\n> /);
    c.send("1+\n");
    await c.waitFor(/^SyntaxError: [^\n]*\n> /);
    c.send("6*7\n");
    await c.waitFor(/^42\n> /);
    assert.equal(app.proc.exitCode, null, "the simulator is still running");
  });

  it("keeps global state between lines (indirect eval) and shows values", async () => {
    const c = await open();
    c.send("var answer = 40\n");
    await c.waitFor(/^> /);
    c.send("answer + 2\n");
    await c.waitFor(/^42\n> /);
    c.send("'caf\u00e9 \u{1F600}'\n");
    await c.waitFor(/^"caf\u00e9 \u{1F600}"\n> /u);
    c.send("({a: [1, 2]})\n");
    await c.waitFor(/^\{"a":\[1,2\]\}\n> /);
    c.send("print('hello', 1, true)\n");
    await c.waitFor(/^hello\t1\ttrue\n> /);
  });

  it("handles several lines in one packet, a line split across packets and CRLF line ends", async () => {
    const c = await open();
    c.send("1+1\n2+2\n");
    await c.waitFor(/^2\n> 4\n> /);
    c.send("10");
    await new Promise((r) => setTimeout(r, 100));
    c.send("0*3\r\n");
    await c.waitFor(/^300\n> /);
  });

  it("sends big output whole, in order, through its pipe", async () => {
    const c = await open();
    c.send("Array.from({length: 2000}, (_, i) => i).join(',')\n");
    const expected = JSON.stringify(Array.from({ length: 2000 }, (_, i) => i).join(","));
    const m = await c.waitFor(/^("[0-9,]*")\n> /);
    assert.equal(m[1].length, expected.length);
    assert.equal(m[1], expected);
    c.send("'\u00e9'.repeat(5000).length\n");
    await c.waitFor(/^5000\n> /);
    c.send("'\u{1F600}'.repeat(3000)\n");
    const e = await c.waitFor(/^"(\u{1F600}*)"\n> /u);
    assert.equal(e[1], "\u{1F600}".repeat(3000));
  });

  it("serves two sessions at once, each getting its own answers", async () => {
    const a = await open();
    const b = await open();
    a.send("'from a'\n");
    b.send("'from b'\n");
    await a.waitFor(/^"from a"\n> /);
    await b.waitFor(/^"from b"\n> /);
    assert.doesNotMatch(a.text, /from b/);
    assert.doesNotMatch(b.text, /from a/);
  });

  it("works with a client that types ahead of the prompt, and after clients have gone", async () => {
    // all three lines in one write right after connecting, without waiting for the greeting
    const t = client(port);
    clients.push(t);
    await t.connected;
    t.send("1+2\nthrow new TypeError('bad')\n3+4\n");
    await t.waitFor(/> 7\n> /);
    assert.match(t.text, /Welcome to the xsnet JavaScript REPL/);
    assert.match(t.text, /\n> 3\n> TypeError: bad\n> 7\n> /);
    t.close();
    // the line, then FIN at once (as `nc -N`)
    await sendAndHalfClose(port, "1+2\n", 3000);
    await new Promise((r) => setTimeout(r, 200));
    const c = await open();
    c.send("2**10\n");
    await c.waitFor(/^1024\n> /);
  });
});
