// Benchmark app: receive `total` bytes with luatos/socket: on each EVENT, rx() into one zbuff until empty, del().
import socket from "luatos/socket";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, total] = args.map(Number);
const buf = zbuff.create(65536)!;
let received = 0, c0 = 0;
const ctrl = socket.create(undefined, (c, event, param) => {
	if (event !== socket.EVENT || param) return;
	if (!c0) c0 = cpu();
	for (;;) {
		socket.rx(c, buf);
		const n = buf.used();
		if (!n) break;
		received += n;
		buf.del();
	}
	if (received >= total) {
		trace(`received ${received}\ncpu ${cpu() - c0}\n`);
		socket.close(c);
	}
})!;
socket.connect(ctrl, "127.0.0.1", port);
