// luatos/libnet and task-mode delivery (sys.taskInitEx / waitMsg) with Node peers on 127.0.0.1
// (app: tests/apps/luatos-libnet.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, tcpServer, closedPort, fakeDns } from "./support/net-peers.js";

describe("luatos/libnet (task mode)", function () {
  afterEach(cleanup);

  it("waitLink, connect, wait (timeout, wake-up, data), tx, rx, the peer closing, close", async () => {
    const { port } = await tcpServer((s) => {
      s.on("data", (d) => {
        if (d.toString() === "ping") s.write("pong");
        if (d.toString() === "bye") s.end("see you");
      });
    });
    const r = await exitsCleanly(app("luatos-libnet", ["client", port]));
    // "pong" may arrive before libnet.wait looks (the flag answers it, and its EVENT message stays queued until
    // the next waitMsg hands it to cbFun) or during it: either way libnet.lua's flow is the same
    assert.deepEqual(lines(r.stdout).filter((l) => l !== "cbFun EVENT 0"), [
      "waitLink true",
      "config true",
      'connect true state=[5,"在线"]',
      "wait-timeout [true,false]",
      "wait-wakeup [true,true]",
      "tx [true,false]",
      "wait-data [true,true]",
      'rx [true,4,"nil","nil"] pong',
      "tx-bye [true,false]",
      'wait true true rx [true,7,"nil","nil"]',
      "wait false false rx [false,0]",
      "tx-closed [false,\"nil\"]",
      'closed [1,"离线"]',
    ]);
  });

  it("returns libnet.lua's results for failures: refused, timeout, not online, UDP listen, invalid ctrl, unknown task", async () => {
    const silent = await fakeDns(() => {});
    const r = await exitsCleanly(app("luatos-libnet", ["failures", await closedPort()], { dns: [`127.0.0.1:${silent.port}`] }));
    assert.deepEqual(lines(r.stdout), [
      'tx-offline [false,"nil"]',
      "wait-offline [false,false]",
      'connect-refused false state=[1,"离线"]',
      'connect-timeout false state=[2,"等待DNS"] true',
      "E/socket listen: a UDP ctrl cannot listen (receive with connect(ctrl, ip, 0))",
      "listen-udp false",
      'close-invalid "nil"',
      "connect-invalid false",
      "E/sys waitMsg: only a task started with sys.taskInitEx can wait for messages",
      "connect-unknown-task false",
    ]);
  });

  it("an EVENT(0) that arrives while libnet.tx waits goes to cbFun; wait() still reports the data", async function () {
    this.timeout(30000);
    let received = 0;
    const { port } = await tcpServer((s) => {
      s.pause();
      setTimeout(() => s.write("data"), 200);
      setTimeout(() => s.resume(), 600);
      s.on("data", (d) => { received += d.length; });
    });
    const r = await exitsCleanly(app("luatos-libnet", ["tx-during-data", port]));
    assert.deepEqual(lines(r.stdout), [
      "cbFun EVENT 0",
      "tx-big [true,false]",
      "wait [true,true]",
      'rx [true,4,"nil","nil"] data',
    ]);
    // the last bytes may still be on their way from the closed socket's kernel buffer
    for (let i = 0; i < 100 && received < 8 * 1024 * 1024; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(received, 8 * 1024 * 1024);
  });
});
