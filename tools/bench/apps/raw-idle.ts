// Benchmark app: JS heap per open idle TCP connection, raw ECMA-419 TCP with shared callbacks.
// Opens `count` connections to 127.0.0.1:`port`, then prints the heap growth per connection.
import TCP from "embedded:io/socket/tcp";
import args from "xsnet-sim/args";
import { gc, used } from "xsnet-sim/heap";

const [port, count] = args.map(Number);
const sockets: TCP[] = [];
let connected = 0;
function onWritable(this: TCP) {
  if (++connected === count) {
    gc();
    trace(`per-socket ${(used() - base) / count}\n`);
    for (const s of sockets) s.close();
  }
}
function onError(this: TCP) { this.close(); }
gc();
const base = used();
for (let i = 0; i < count; i++) sockets.push(new TCP({ address: "127.0.0.1", port, onWritable, onError }));
