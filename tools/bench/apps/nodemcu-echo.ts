// Benchmark app: `count` round trips of 32 bytes with an echo server, through nodemcu/net.
import net from "nodemcu/net";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, count] = args.map(Number);
const message = "b".repeat(32);
let done = 0, pending = 0, start = 0, c0 = 0;
const sock = net.createConnection();
sock.on("connection", (s) => {
  start = Date.now();
  c0 = cpu();
  s.send(message);
});
sock.on("receive", (s, data) => {
  pending += (data as string).length;
  if (pending < 32) return;
  pending -= 32;
  if (++done === count) {
    trace(`elapsed ${Date.now() - start}\ncpu ${cpu() - c0}\n`);
    s.close();
  } else s.send(message);
});
sock.connect(port, "127.0.0.1");
