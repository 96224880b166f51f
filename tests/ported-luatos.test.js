// LuatOS's socket demos ported to TypeScript (examples/luatos-client, examples/luatos-server), run in the
// simulator against Node peers on 127.0.0.1 (apps: tests/apps/ported-luatos-*.ts).
import assert from "node:assert/strict";
import net from "node:net";
import { app, cleanup, exitsCleanly, lines, tcpServer, udpSocket, closedPort, onCleanup, startDnsmasq } from "./support/net-peers.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(test, ms = 10000) {
  for (let t = 0; t < ms; t += 20) {
    if (test()) return;
    await sleep(20);
  }
  throw new Error("condition not met in time: " + test);
}

describe("ported: LuatOS socket demos", function () {
  this.timeout(30000);
  afterEach(cleanup);

  it("long-connection client (TCP and UDP, task style with libnet): sends the timer's data, prints replies, reconnects", async () => {
    const tcpConnections = [];
    const tcpData = [];     // the client's messages, cut from what arrived (TCP keeps no boundaries)
    const { port: tcpPort } = await tcpServer((s) => {
      tcpConnections.push(s);
      let text = "";
      s.on("data", (d) => {
        // a message is whole once the next one begins (its number may still be arriving)
        const parts = (text += d).split(/(?=send from timer: )/);
        text = parts.pop();
        for (const m of parts) {
          tcpData.push(m);
          if (tcpConnections.length === 1 && tcpData.length === 2) s.write("hello tcp");
          if (tcpConnections.length === 1 && tcpData.length === 3) s.destroy();     // the client must reconnect
        }
      });
    });
    const udp = await udpSocket();
    const udpData = [];
    udp.on("message", (m, rinfo) => {
      udpData.push(m.toString());
      if (udpData.length === 2) udp.send("hello udp", rinfo.port, rinfo.address);
    });
    const a = app("ported-luatos-client", [tcpPort, udp.address().port]);
    // (in either order)
    await until(() => /recv from tcp server: hello tcp\r\n/.test(a.stdout) && /recv from udp server: hello udp\r\n/.test(a.stdout));
    await until(() => tcpConnections.length >= 2 && tcpData.length >= 5);
    assert.match(tcpData[0], /^send from timer: \d+$/);
    assert.deepEqual(udpData.slice(0, 2).map((d) => /^send from timer: \d+$/.test(d)), [true, true]);
    const numbers = tcpData.map((d) => Number(d.match(/\d+$/)[0]));
    assert.ok(numbers.every((n, i) => i === 0 || n > numbers[i - 1]), `increasing: ${numbers}`);
    assert.match(a.stdout, /I\/tcp_client_main_task_func libnet.connect success\n[^]*W\/tcp_client_main_task_func connection exception\n[^]*I\/tcp_client_main_task_func libnet.connect success\n/);
  });

  /** A TCP client of 127.0.0.1:port (retrying until the app listens) with text(), until(re). */
  async function client(port) {
    for (let i = 0; ; i++) {
      try {
        const s = await new Promise((resolve, reject) => {
          const c = net.connect({ port, host: "127.0.0.1" }, () => resolve(c));
          c.once("error", reject);
        });
        onCleanup(() => s.destroy());
        let text = "";
        s.setEncoding("utf8");
        s.on("data", (d) => { text += d; });
        return { s, get text() { return text; }, until: (re) => until(() => re.test(text)) };
      } catch (e) {
        if (i > 100) throw e;
        await sleep(50);
      }
    }
  }

  it("single-client TCP server (task style): greets, echoes through SEND_DATA_REQ, serves the next client after one leaves", async () => {
    const port = await closedPort();
    const a = app("ported-luatos-server", ["tcp", port]);
    for (const word of ["first", "second"]) {
      // a client that reaches the listener while the server tears it down after the previous client is closed
      // unanswered (the single-client mode's window, on LuatOS too): connect again until greeted
      let c;
      for (let attempt = 0; ; attempt++) {
        c = await client(port);
        let closed = false;
        c.s.once("close", () => { closed = true; });
        await until(() => closed || /TCP server is UP!/.test(c.text));
        if (!closed || /TCP server is UP!/.test(c.text)) break;
        assert.ok(attempt < 20, "never greeted");
      }
      c.s.write(word);
      await c.until(new RegExp(`send from echo: ${word}`));
      c.s.end();
      await new Promise((resolve) => c.s.on("close", resolve));
    }
    assert.match(a.stdout, /I\/tcp_server_receiver.proc recv data first\n[^]*I\/tcp_server_task_func client disconnected\n[^]*recv data second\n/);
  });

  it("multi-client TCP server (accept with a callback): numbers its clients, broadcasts to all", async () => {
    const port = await closedPort();
    const a = app("ported-luatos-server", ["tcp_multi", port]);
    const clients = [];
    for (let i = 1; i <= 3; i++) {
      const c = await client(port);
      await c.until(new RegExp(`you are client-${i}`));
      clients.push(c);
    }
    clients[1].s.write("to everyone");
    await Promise.all(clients.map((c) => c.until(/send from echo: to everyone/)));
    clients[0].s.end();
    await a.waitFor(/clients left= 2\n/);
    assert.match(a.stdout, /new client IP= 127\.0\.0\.1 port= \d+ clients= 3\n/);
  });

  it("UDP server (udpsrv): announces itself, answers each client, sends heartbeats", async () => {
    const port = await closedPort();
    const announce = await udpSocket();
    const heard = [];
    announce.on("message", (m) => heard.push(m.toString()));
    const a = app("ported-luatos-server", ["udp", port, announce.address().port]);
    await until(() => heard.includes("UDP Server is UP"));
    const c = await udpSocket();
    const reply = new Promise((resolve) => c.once("message", (m) => resolve(m.toString())));
    c.send("ping", port, "127.0.0.1");
    assert.equal(await reply, "send from echo: ping");
    await until(() => heard.includes("UDP Server Heartbeat"));
    assert.match(a.stdout, /I\/udp_server_receiver.proc received ping from 127\.0\.0\.1 \d+\n/);
  });

  describe("PC simulator tests (bsp/pc/test)", function () {
    let dns;
    before(async () => { dns = await startDnsmasq("127.0.0.53"); });
    after(async () => { await dns?.stop(); });

    it("002.tcp: prints what the server sends, sees its close, releases the socket and connects again", async () => {
      let n = 0;
      const { port } = await tcpServer((s) => { n++; s.end(`round ${n}`); });
      const r = await exitsCleanly(app("ported-luatos-pc", ["tcp", port, 2]));
      assert.deepEqual(lines(r.stdout), [
        "I/socket.ip true",
        "I/create netc", "I/socket read round 1", "I/socket the server closed the connection", "I/connection ended, closing",
        "I/create netc", "I/socket read round 2", "I/socket the server closed the connection", "I/connection ended, closing",
        "I/done",
      ]);
      assert.equal(n, 2);
    });

    it("003.udp: the server's answer with its 5-byte address turned into dotted form and its port", async () => {
      const peer = await udpSocket();
      const got = [];
      peer.on("message", (m, rinfo) => { got.push(m.toString()); peer.send(`echo ${m}`, rinfo.port, rinfo.address); });
      const r = await exitsCleanly(app("ported-luatos-pc", ["udp", peer.address().port]));
      assert.deepEqual(lines(r.stdout), ["I/socket connect true", "I/socket read echo ABC1234567890 127.0.0.1 true", "I/done"]);
      assert.deepEqual(got, ["ABC1234567890"]);
    });

    it("037.dns_client: queries built in a zbuff (pack, write) over UDP, answers decoded with buf[i]", async () => {
      const r = await exitsCleanly(app("ported-luatos-pc", ["dns_client", "127.0.0.53", "example.test", "alias.test", "nx.test"]));
      assert.deepEqual(lines(r.stdout), [
        "I/socket connect true",
        "I/socket from 127.0.0.53 46", "I/dns name example.test", "I/dns IP 127.0.0.1",
        "I/socket from 127.0.0.53 69", "I/dns name alias.test", "I/dns IP 127.0.0.7",
        "I/socket from 127.0.0.53 25", "I/dns name nx.test", "I/dns an answer, no records 0",
        "I/done",
      ]);
    });

    it("023.tcp_tx_limit: rx with limit 4 reads 4 bytes at a time until the server closes", async () => {
      const { port } = await tcpServer((s) => s.end("0123456789"));
      const r = await exitsCleanly(app("ported-luatos-pc", ["tcp_tx_limit", port]));
      assert.deepEqual(lines(r.stdout), [
        "I/socket read 0123", "I/socket read 4567", "I/socket read 89",
        "I/socket the server closed the connection", "I/done",
      ]);
    });

    it("036.socket_read: UDP read gives the text, the 5-byte address and the port", async () => {
      const echo = await udpSocket();
      echo.on("message", (m, rinfo) => echo.send(m, rinfo.port, rinfo.address));
      const r = await exitsCleanly(app("ported-luatos-pc", ["socket_read", echo.address().port]));
      assert.deepEqual(lines(r.stdout), ["I/socket read ABC1234567890 127.0.0.1 true", "I/done"]);
    });
  });
});
