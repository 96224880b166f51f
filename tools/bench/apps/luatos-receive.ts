// Benchmark app: receive `total` bytes with luatos/socket; mode "buffer" (default): on each EVENT, rx() into one
// zbuff until empty, del(); mode "string": on each EVENT, read() the bytes rx() reports as text until none.
import socket from "luatos/socket";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [port, total] = args.map(Number);
const text = args[2] === "string";
const buf = zbuff.create(65536)!;
let received = 0, c0 = 0;
const ctrl = socket.create(undefined, (c, event, param) => {
	if (event !== socket.EVENT || param) return;
	if (!c0) c0 = cpu();
	for (;;) {
		if (text) {
			// (str.length is O(n) in XS: the byte count comes from rx() without a buffer)
			const n = (socket.rx(c) as [boolean, number])[1];
			if (!n) break;
			socket.read(c);
			received += n;
			continue;
		}
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
