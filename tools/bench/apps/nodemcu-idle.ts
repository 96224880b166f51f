// Benchmark app: JS heap per open idle nodemcu/net TCP socket (connected, callbacks registered as a
// NodeMCU program does: receive and disconnection handlers shared by all sockets).
import net from "nodemcu/net";
import args from "xsnet-sim/args";
import { gc, used } from "xsnet-sim/heap";

const [port, count] = args.map(Number);
const sockets: ReturnType<typeof net.createConnection>[] = [];
let connected = 0;
function onReceive() {}
function onDisconnection() {}
function onConnection() {
  if (++connected === count) {
    gc();
    trace(`per-socket ${(used() - base) / count}\n`);
    for (const s of sockets) s.close();
  }
}
gc();
const base = used();
for (let i = 0; i < count; i++) {
  const s = net.createConnection();
  s.on("receive", onReceive);
  s.on("disconnection", onDisconnection);
  s.on("connection", onConnection);
  s.connect(port, "127.0.0.1");
  sockets.push(s);
}
