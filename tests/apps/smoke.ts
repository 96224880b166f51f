// Smoke test of the simulator itself: modules, timers, promise jobs, trace, args, TextDecoder.
import Timer from "timer";
import TextDecoder from "text/decoder";
import args from "xsnet-sim/args";

trace(`args ${JSON.stringify(args)}\n`);
const order: string[] = [];
Promise.resolve().then(() => order.push("job"));
order.push("sync");
setTimeout(() => {
  order.push("timeout");
  Timer.set((t) => {
    order.push("timer");
    let n = 0;
    const r = Timer.repeat(() => {
      if (++n === 3) {
        Timer.clear(r);
        const d = new TextDecoder();
        const bytes = new Uint8Array([0xe2, 0x82, 0xac]);
        const s = d.decode(bytes.subarray(0, 1), { stream: true }) + d.decode(bytes.subarray(1), { stream: true });
        trace(`order ${order.join(",")} repeat ${n} euro ${s}\n`);
      }
    }, 5);
  }, 10);
}, 1);
