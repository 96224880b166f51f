// More than 2 GiB of XS heap in use (args: count of 256 MiB ArrayBuffers, kept alive to the end), for
// tests/sim-heap.test.js: prints xsnet-sim/heap's used() after gc(); run with --report-heap.
import { gc, used } from "xsnet-sim/heap";
import args from "xsnet-sim/args";

const keep: ArrayBuffer[] = [];
const count = Number(args[0]);
for (let i = 0; i < count; i++) keep.push(new ArrayBuffer(256 * 1024 * 1024));
gc();
trace(`used ${used()} buffers ${keep.length}\n`);
