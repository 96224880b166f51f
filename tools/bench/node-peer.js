#!/usr/bin/env node
// The Node side of the "against Node" benchmarks, run as its own process as the simulator is, so that both
// pay the same cross-process wake-ups: node tools/bench/node-peer.js send|receive|echo <port> <n> [chunk]
import net from "node:net";

const [mode, port, n, chunk] = process.argv.slice(2);
const c = net.connect(Number(port), "127.0.0.1");
let c0;
const cpuSince = () => { const u = process.cpuUsage(c0); return (u.user + u.system) / 1e6; };
c.setNoDelay(true);
if (mode === "send") {
  c.on("connect", () => {
    c0 = process.cpuUsage();
    const size = Number(chunk), data = Buffer.alloc(size, 0x61);
    let left = Number(n);
    const pump = () => {
      while (left > 0) {
        const k = Math.min(size, left);
        left -= k;
        if (!c.write(k === size ? data : data.subarray(0, k))) return c.once("drain", pump);
      }
      c.end(() => process.stdout.write(`cpu ${cpuSince()}\n`));
    };
    pump();
  });
} else if (mode === "receive") {
  let got = 0;
  c.on("data", (d) => {
    c0 ??= process.cpuUsage();
    got += d.length;
    if (got >= Number(n)) {
      process.stdout.write(`cpu ${cpuSince()}\n`);
      c.destroy();
    }
  });
} else if (mode === "echo") {
  const msg = Buffer.alloc(32, 0x62), count = Number(n);
  let done = 0, pending = 0, start;
  c.on("connect", () => { start = process.hrtime.bigint(); c0 = process.cpuUsage(); c.write(msg); });
  c.on("data", (d) => {
    pending += d.length;
    while (pending >= 32) {
      pending -= 32;
      if (++done === count) {
        process.stdout.write(`elapsed ${Number(process.hrtime.bigint() - start) / 1e6}\ncpu ${cpuSince()}\n`);
        c.destroy();
        return;
      }
      c.write(msg);
    }
  });
}
