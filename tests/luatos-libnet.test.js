// luatos/libnet and task-mode delivery (sys.taskInitEx / waitMsg) with Node peers on 127.0.0.1
// (app: tests/apps/luatos-libnet.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, tcpServer, closedPort, fakeDns } from "./support/net-peers.js";

describe("luatos/libnet (task mode)", function () {
  afterEach(cleanup);

  it("waitLink, connect, wait (timeout, wake-up, data), tx, rx, the peer closing, close", async () => {
    const { port } = await tcpServer((s) => {
      let text = "";               // TCP keeps no boundaries: match all that arrived so far, not one data event
      s.on("data", (d) => {
        text += d;
        if (text === "ping") s.write("pong");
        if (text === "pingbye") s.end("see you");
      });
    });
    const r = await exitsCleanly(app("luatos-libnet", ["client", port]));
    // "pong" may arrive before libnet.wait looks (the flag answers it, and its EVENT message stays queued until
    // the next waitMsg hands it to cbFun) or during it: either way libnet.lua's flow is the same
    const out = lines(r.stdout).filter((l) => l !== "cbFun EVENT 0");
    const bye = out.indexOf("tx-bye [true,false]");
    assert.deepEqual(out.slice(0, bye + 1), [
      "waitLink true",
      "config true",
      'connect true state=[5,"在线"]',
      "wait-timeout [true,false]",
      "wait-wakeup [true,true]",
      "tx [true,false]",
      "wait-data [true,true]",
      'rx [true,4,"nil","nil"] pong',
      "tx-bye [true,false]",
    ], out.join("\n"));
    // Then wake-ups that read "see you" (in one or more parts), and the end. A wake-up may find nothing to read
    // ([true,0]) while the socket is open, as in LuatOS: when TX_OK(0) and the reply's bytes come in one turn (the
    // peer's ACK rides on its reply; lwIP reports a segment's ACK before its data), the task takes TX_OK and the
    // EVENT(0) stays queued; the data flag answers the next wait, and the wait after it takes that EVENT(0) at once.
    // Each such wake-up is owed to one EVENT(0) of bytes already read: never more of them than reads of data.
    const rest = out.slice(bye + 1);
    const end = rest.indexOf("wait false false rx [false,0]");
    assert.ok(end > 0, out.join("\n"));
    const wakes = rest.slice(0, end);
    for (const w of wakes) assert.match(w, /^wait true true rx \[true,(0|[1-7],"nil","nil")\]$/, out.join("\n"));
    const empty = wakes.filter((w) => w.endsWith("[true,0]")).length;
    assert.ok(empty <= wakes.length - empty, out.join("\n"));
    assert.deepEqual(rest.slice(end), [
      "wait false false rx [false,0]",
      "received see you",
      "tx-closed [false,\"nil\"]",
      'closed [1,"离线"]',
    ]);
  });

  it("TX_OK(0) and the reply in one turn: the queued EVENT(0) wakes the wait after the data with nothing to read, as LuatOS", async () => {
    // XSNET_SIM_FAULTS=storm=N: after each write the host reports no room for N loop turns (500,000: about 0.2 s
    // here, far longer than the peer takes to answer), so the "sent" of a tx comes with the reply's bytes, as when
    // a board's peer acknowledges with its reply. The peer's FIN comes 300 ms after "see you": the socket is still
    // open at the second wait.
    const { port } = await tcpServer((s) => {
      let text = "";
      s.on("data", (d) => {
        text += d;
        if (text === "ping") s.write("pong");
        if (text === "pingbye") {
          s.write("see you");
          setTimeout(() => s.end(), 300);
        }
      });
    });
    const r = await exitsCleanly(app("luatos-libnet", ["client", port], { env: { XSNET_SIM_FAULTS: "storm=500000" } }));
    assert.deepEqual(lines(r.stdout), [
      "waitLink true",
      "config true",
      'connect true state=[5,"在线"]',
      "wait-timeout [true,false]",
      "wait-wakeup [true,true]",
      "tx [true,false]",
      "wait-data [true,true]",              // the flag: "pong"'s EVENT(0) came after TX_OK and waits in the queue
      'rx [true,4,"nil","nil"] pong',
      "cbFun EVENT 0",                      // libnet.tx's waitMsg(TX_OK) hands it to cbFun
      "tx-bye [true,false]",
      'wait true true rx [true,7,"nil","nil"]',
      "wait true true rx [true,0]",         // "see you"'s EVENT(0), queued behind TX_OK
      "wait false false rx [false,0]",
      "received see you",
      "tx-closed [false,\"nil\"]",
      'closed [1,"离线"]',
    ]);
  });

  it("returns libnet.lua's results for failures: refused, timeout, not online, UDP listen, invalid ctrl, unknown task; bad arguments reject", async () => {
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
      "bad-waitLink rejected TypeError",
      "bad-connect rejected TypeError",
      "bad-listen rejected TypeError",
      "bad-tx rejected TypeError",
      "bad-tx-data rejected TypeError",
      "bad-wait rejected TypeError",
      "bad-close rejected TypeError",
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
