// Benchmark app: `count` round trips of 32 bytes with an echo server at 127.0.0.1:`port`, raw ECMA-419.
import TCP from "embedded:io/socket/tcp";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, count] = args.map(Number);
const message = new Uint8Array(32).fill(0x62);
let done = 0, pending = 0, start = 0, c0 = 0;
const sock: TCP = new TCP({
  address: "127.0.0.1",
  port,
  noDelay: true,
  onWritable() {
    if (!start) {
      start = Date.now();
    c0 = cpu();
      sock.write(message);
    }
  },
  onReadable() {
    pending += (sock.read() as ArrayBuffer).byteLength;
    if (pending < 32) return;
    pending -= 32;
    if (++done === count) {
      trace(`elapsed ${Date.now() - start}\ncpu ${cpu() - c0}\n`);
      sock.close();
    } else sock.write(message);
  },
  onError() { sock.close(); },
});
