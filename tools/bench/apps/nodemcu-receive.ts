// Benchmark app: receive `total` bytes with nodemcu/net; mode "string" (default) or "buffer".
import net from "nodemcu/net";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, total] = args.map(Number);
const mode = args[2] || "string";
let received = 0, c0 = 0;
const sock = net.createConnection();
if (mode === "buffer") sock.format = "buffer";
if (mode === "buffer") {
  sock.on("receive", (s, data) => {
    if (!c0) c0 = cpu();
    received += (data as ArrayBuffer).byteLength;
    if (received >= total) {
      trace(`received ${received}\ncpu ${cpu() - c0}\n`);
      s.close();
    }
  });
} else {
  // Strings: count events only (str.length is O(n) in XS, which would measure the app, not the library);
  // the source closes after its last byte.
  sock.on("receive", () => { if (!c0) c0 = cpu(); received++; });
  sock.on("disconnection", () => trace(`received ${received} strings\ncpu ${cpu() - c0}\n`));
}
sock.connect(port, "127.0.0.1");
