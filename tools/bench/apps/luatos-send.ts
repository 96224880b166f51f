// Benchmark app: send `total` bytes with luatos/socket, `chunk` bytes per tx(), the next tx() on TX_OK (so at
// most one chunk waits in the queue, as a LuatOS program pacing itself with TX_OK does).
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, total, chunk] = args.map(Number);
const data = new Uint8Array(chunk).fill(0x61);
let left = total, c0 = 0;
function next(c: SocketCtrl) {
	if (!c0) c0 = cpu();
	if (left <= 0) { socket.close(c); trace(`cpu ${cpu() - c0}\n`); return; }
	const n = Math.min(chunk, left);
	left -= n;
	socket.tx(c, n === chunk ? data : data.subarray(0, n));
}
const ctrl = socket.create(undefined, (c, event) => {
	if (event === socket.ON_LINE || event === socket.TX_OK) next(c);
})!;
socket.connect(ctrl, "127.0.0.1", port);
