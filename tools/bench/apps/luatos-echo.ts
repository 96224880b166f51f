// Benchmark app: `count` round trips of 32 bytes with an echo server, through luatos/socket (rx into a zbuff).
import socket from "luatos/socket";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, count] = args.map(Number);
const message = new Uint8Array(32).fill(0x62);
const buf = zbuff.create(64)!;
let done = 0, start = 0, c0 = 0;
const ctrl = socket.create(undefined, (c, event, param) => {
	if (event === socket.ON_LINE) {
		start = Date.now();
		c0 = cpu();
		socket.tx(c, message);
		return;
	}
	if (event !== socket.EVENT || param) return;
	socket.rx(c, buf);
	while (buf.used() >= 32) {
		buf.del(0, 32);
		if (++done === count) {
			trace(`elapsed ${Date.now() - start}\ncpu ${cpu() - c0}\n`);
			socket.close(c);
			return;
		}
		socket.tx(c, message);
	}
})!;
socket.connect(ctrl, "127.0.0.1", port);
