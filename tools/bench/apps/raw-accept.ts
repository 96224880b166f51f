// Benchmark app: a raw ECMA-419 Listener that accepts, writes one byte and closes each connection;
// it stops after `count` connections. Prints its port.
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import args from "xsnet-sim/args";

const count = Number(args[0]);
const byte = Uint8Array.of(0x21);
let accepted = 0;
function onWritable(this: TCP) { this.write(byte); this.close(); }
const listener = new Listener({
  port: 0, address: "127.0.0.1",
  onReadable(n: number) {
    while (n-- > 0) {
      new TCP({ from: this.read()!, onWritable });
      if (++accepted === count) listener.close();
    }
  },
});
trace(`port ${listener.port}\n`);
