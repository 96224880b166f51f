// Benchmark app: receive `total` bytes with nodemcu/net; mode "string" (default) or "buffer".
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const [port, total] = args.map(Number);
const mode = args[2] || "string";
let received = 0;
const sock = net.createConnection();
if (mode === "buffer") sock.format = "buffer";
sock.on("receive", (s, data) => {
  received += typeof data === "string" ? data.length : (data as ArrayBuffer).byteLength;
  if (received >= total) {
    trace(`received ${received}\n`);
    s.close();
  }
});
sock.connect(port, "127.0.0.1");
