// Benchmark app: receive `total` bytes from 127.0.0.1:`port` through raw ECMA-419 TCP, then close.
import TCP from "embedded:io/socket/tcp";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, total] = args.map(Number);
let received = 0, c0 = 0;
const sock: TCP = new TCP({
  address: "127.0.0.1",
  port,
  onReadable() {
    if (!c0) c0 = cpu();
    const b = sock.read() as ArrayBuffer;
    received += b.byteLength;
    if (received >= total) {
      trace(`received ${received}\ncpu ${cpu() - c0}\n`);
      sock.close();
    }
  },
  onError() { sock.close(); },
});
