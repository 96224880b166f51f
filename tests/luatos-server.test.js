// luatos/socket TCP servers (single-client and accept with a callback) with Node clients on 127.0.0.1
// (app: tests/apps/luatos-server.ts).
import assert from "node:assert/strict";
import net from "node:net";
import { app, simStack, cleanup, exitsCleanly, lines, closedPort, tcpServer, onCleanup } from "./support/net-peers.js";

/** Connect to 127.0.0.1:port, retrying while the app is not listening yet. */
async function connectWhenUp(port) {
  for (let i = 0; i < 100; i++) {
    try {
      return await new Promise((resolve, reject) => {
        const s = net.connect({ port, host: "127.0.0.1" }, () => resolve(s));
        s.once("error", reject);
        onCleanup(() => s.destroy());
      });
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("server never came up");
}

/** Collect what `s` receives; `until(text)` resolves once the text so far contains `text`. */
function reader(s) {
  let text = "";
  const waiters = [];
  s.on("data", (d) => {
    text += d;
    for (const w of waiters.splice(0)) if (text.includes(w.want)) w.resolve(); else waiters.push(w);
  });
  return {
    get text() { return text; },
    until(want) {
      if (text.includes(want)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ want, resolve }));
    },
  };
}

describe("luatos/socket TCP server", function () {
  afterEach(cleanup);

  it("single-client form (task style with libnet, as LuatOS's server/tcp demo), two clients in turn", async () => {
    const port = await closedPort();
    const a = app("luatos-server", ["single", port, 2]);
    for (let n = 1; n <= 2; n++) {
      // connect once this round's ctrl listens: a client that reaches the previous ctrl's listener in the moment it
      // is released is closed unanswered (a race any single-client LuatOS server has)
      await a.waitFor(/listen \[true,false\] state=\[6,[^\n]*\n/);
      const c = await connectWhenUp(port);
      const r = reader(c);
      await r.until("TCP server is UP!");
      c.write(`hello ${n}`);
      await r.until(`HELLO ${n}`);
      c.end();
      await new Promise((resolve) => c.on("close", resolve));
    }
    // an EVENT that arrives while libnet.tx waits for TX_OK goes to the task's cbFun (as in LuatOS's libnet): the
    // client's line can come before the greeting's TX_OK, so "other EVENT 0" may appear; rx still reads the line
    // The client closes as soon as it has its reply; whether the server's task sees that in rx() ("rx failed") or in
    // wait() depends on when the reply's TX_OK comes: next turn on POSIX, on the peer's ACK with lwIP (as on a board),
    // so under XSNET_SIM_STACK=lwip the FIN may come first. Both end the client.
    const ended = 'wait false false state=[1,"离线"]';
    const out = lines((await exitsCleanly(a)).stdout).filter((l) => l !== "other EVENT 0")
      .map((l) => (simStack === "lwip" && l === "rx failed" ? ended : l));
    const one = (n) => [
      "config true",
      'listen [true,false] state=[6,"在监听"]',
      'client true state=[5,"在线"]',
      "accept true undefined 127.0.0.1 number",
      "tx [true,false]",
      `got hello ${n}`,
      ended,
      'closed "nil"',
    ];
    assert.deepEqual(out, [...one(1), ...one(2)]);
  });

  for (const backlog of ["8", "none"]) {
    it(`accept(ctrl, cb) gives each client its own ctrl (listen backlog ${backlog}), three clients at once`, async () => {
      const port = await closedPort();
      const a = app("luatos-server", ["multi", port, 3, backlog]);
      const first = await connectWhenUp(port);
      const clients = [first, ...await Promise.all([connectWhenUp(port), connectWhenUp(port)])];
      const readers = clients.map(reader);
      await Promise.all(readers.map((r) => r.until("\n")));
      const numbers = readers.map((r) => r.text.trim()).sort();
      assert.deepEqual(numbers, ["you are client-1", "you are client-2", "you are client-3"]);
      clients.forEach((c, i) => c.write(`abc${i}`));
      await Promise.all(readers.map((r, i) => r.until(`ABC${i}`)));
      for (const c of clients) c.end();
      const out = lines((await exitsCleanly(a)).stdout);
      assert.equal(out.filter((l) => /^accepted true true true 127\.0\.0\.1 number server-state=\[(5|6),/.test(l)).length, 3, out.join("\n"));
      assert.deepEqual(out.filter((l) => l.startsWith("client ")).map((l) => l.replace(/^client \d/, "client")).sort(),
        ["client EVENT -1", "client EVENT -1", "client EVENT -1"]);
      assert.equal(out.at(-1), "server closed");
    });
  }

  it("single-client form: the carried client's end stops the listening (clients refused) until listen again", async () => {
    const port = await closedPort();
    const a = app("luatos-server", ["single-end", port]);
    const first = await connectWhenUp(port);
    await a.waitFor(/event ON_LINE 0 state=\[5,/);
    first.end();
    await a.waitFor(/event EVENT -1 state=\[1,/);
    const refused = await new Promise((resolve) => {
      const s = net.connect({ port, host: "127.0.0.1" }, () => { s.destroy(); resolve(false); });
      s.once("error", (e) => resolve(e.code === "ECONNREFUSED"));
    });
    assert.ok(refused, "a client is refused while the ctrl does not listen");
    await a.waitFor(/listen \[true,false\] state=\[6,/);
    await connectWhenUp(port);
    const r = await exitsCleanly(a);
    assert.deepEqual(lines(r.stdout), [
      "listen [true,false]",
      'event ON_LINE 0 state=[5,"在线"]',
      'event EVENT -1 state=[1,"离线"]',
      'listen [true,false] state=[6,"在监听"]',
      'event ON_LINE 0 state=[5,"在线"]',
    ]);
  });

  it("a port in use gives listen [true, false] then ON_LINE(-1)", async () => {
    const { port } = await tcpServer(() => {});
    const r = await exitsCleanly(app("luatos-server", ["in-use", port]));
    const out = lines(r.stdout);
    assert.match(out[0], /^E\/socket listen fail port \d+: address in use/);
    assert.equal(out[1], "listen [true,false]");
    assert.equal(out[2], 'event ON_LINE -1 state=[1,"离线"]');
  });
});
