// LuatOS's socket demos ported to TypeScript (examples/luatos-client, examples/luatos-server), run in the
// simulator against Node peers on 127.0.0.1 (apps: tests/apps/ported-luatos-*.ts).
import assert from "node:assert/strict";
import net from "node:net";
import { app, cleanup, tcpServer, udpSocket, closedPort, onCleanup } from "./support/net-peers.js";

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
    const tcpData = [];
    const { port: tcpPort } = await tcpServer((s) => {
      tcpConnections.push(s);
      s.on("data", (d) => {
        tcpData.push(d.toString());
        if (tcpConnections.length === 1 && tcpData.length === 2) s.write("hello tcp");
        if (tcpConnections.length === 1 && tcpData.length === 3) s.destroy();     // the client must reconnect
      });
    });
    const udp = await udpSocket();
    const udpData = [];
    udp.on("message", (m, rinfo) => {
      udpData.push(m.toString());
      if (udpData.length === 2) udp.send("hello udp", rinfo.port, rinfo.address);
    });
    const a = app("ported-luatos-client", [tcpPort, udp.address().port]);
    await a.waitFor(/recv from tcp server: hello tcp\r\n/);
    await a.waitFor(/recv from udp server: hello udp\r\n/);
    await until(() => tcpConnections.length >= 2 && tcpData.length >= 5);
    assert.match(tcpData[0], /^send from timer: \d+$/);
    assert.deepEqual(udpData.slice(0, 2).map((d) => /^send from timer: \d+$/.test(d)), [true, true]);
    const numbers = tcpData.map((d) => Number(d.match(/\d+$/)[0]));
    assert.ok(numbers.every((n, i) => i === 0 || n > numbers[i - 1]), `increasing: ${numbers}`);
    assert.match(a.stdout, /I\/tcp_client_main_task_func libnet.connect success\n[^]*W\/tcp_client_main_task_func connection exception\n[^]*I\/tcp_client_main_task_func libnet.connect success\n/);
  });
});
