// Benchmark app: send `total` bytes to 127.0.0.1:`port` through raw ECMA-419 TCP, `chunk` bytes per write.
// With a 4th argument "fit", each write is what the socket takes, up to `chunk` (as a raw ECMA-419 program on lwIP
// must write: a 16 KiB chunk never fits lwIP's 5,760-byte send buffer, so it would never be written whole).
import TCP from "embedded:io/socket/tcp";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, total, chunk] = args.map(Number);
const fit = args[3] === "fit";
const data = new Uint8Array(chunk).fill(0x61);
let left = total, c0 = 0;
const sock: TCP = new TCP({
  address: "127.0.0.1",
  port,
  onWritable(writable: number) {
    if (!c0) c0 = cpu();
    while (left > 0 && (fit ? writable > 0 : writable >= Math.min(chunk, left))) {
      const n = Math.min(chunk, left, fit ? writable : chunk);
      writable = sock.write(n === chunk ? data : data.subarray(0, n));
      left -= n;
    }
    if (left === 0) {
      left = -1;
      sock.close();
      trace(`cpu ${cpu() - c0}\n`);
    }
  },
  onError() { sock.close(); },
});
