// Benchmark app: send `total` bytes with nodemcu/net, the next send() chained on "sent" (the NodeMCU
// send-queue pattern), `chunk` bytes per send.
import net from "nodemcu/net";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, total, chunk] = args.map(Number);
const data = new Uint8Array(chunk).fill(0x61);
let left = total, c0 = 0;
const sock = net.createConnection();
function next(s: typeof sock) {
  if (!c0) c0 = cpu();
  if (left <= 0) { s.close(); trace(`cpu ${cpu() - c0}\n`); return; }
  const n = Math.min(chunk, left);
  left -= n;
  s.send(n === chunk ? data : data.subarray(0, n));
}
sock.on("connection", next);
sock.on("sent", next);
sock.connect(port, "127.0.0.1");
