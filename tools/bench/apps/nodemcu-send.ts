// Benchmark app: send `total` bytes with nodemcu/net, the next send() chained on "sent" (the NodeMCU
// send-queue pattern), `chunk` bytes per send.
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const [port, total, chunk] = args.map(Number);
const data = new Uint8Array(chunk).fill(0x61);
let left = total;
const sock = net.createConnection();
function next(s: typeof sock) {
  if (left <= 0) { s.close(); return; }
  const n = Math.min(chunk, left);
  left -= n;
  s.send(n === chunk ? data : data.subarray(0, n));
}
sock.on("connection", next);
sock.on("sent", next);
sock.connect(port, "127.0.0.1");
