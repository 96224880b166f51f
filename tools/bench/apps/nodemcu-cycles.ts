// Benchmark app: `count` connect/close cycles with nodemcu/net against 127.0.0.1:`port`; prints the
// heap after gc at the baseline (after 100 cycles) and at the end.
import net from "nodemcu/net";
import args from "xsnet-sim/args";
import { gc, used } from "xsnet-sim/heap";

const [port, count] = args.map(Number);
let cycles = 0, baseline = 0;
function cycle() {
  if (cycles === 100) { gc(); baseline = used(); }
  if (cycles === count) {
    gc();
    trace(`baseline ${baseline} end ${used()}\n`);
    return;
  }
  cycles++;
  const s = net.createConnection();
  // NodeMCU: close() fires no event; go on once the socket is closed
  s.on("connection", (sk) => { sk.close(); setTimeout(cycle, 0); });
  s.on("reconnection", (sk, err) => { trace(`error ${err}\n`); });
  s.connect(port, "127.0.0.1");
}
cycle();
