// Benchmark app: nodemcu/net over plain TCP or TLS (secure = 1: net.createConnection(net.TCP, 1), the CA trusted
// with tls.cert.verify, the certificate checked). args: mode, port, secure, then
//   send:       total bytes, chunk bytes: send `total` with the next send() chained on "sent";
//   handshakes: count: connect, "connection", close, `count` times one after another.
// Prints "cpu <s>" (and "elapsed <ms>" for handshakes) for tools/bench/tls.js.
import net from "nodemcu/net";
import tls from "nodemcu/tls";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";
import { cpu } from "xsnet-sim/clock";

const [mode, portText, secureText, a, b, ca] = args;
const port = Number(portText), secure = Number(secureText);
if (ca) tls.cert.verify(ca);

if (mode === "send") {
	const total = Number(a), chunk = Number(b);
	const data = new Uint8Array(chunk).fill(0x61);
	let left = total, c0 = 0;
	const sock = net.createConnection(net.TCP, secure);
	const next = (s: NetSocket) => {
		if (!c0) c0 = cpu();
		if (left <= 0) { s.close(); trace(`cpu ${cpu() - c0}\n`); return; }
		const n = Math.min(chunk, left);
		left -= n;
		s.send(n === chunk ? data : data.subarray(0, n));
	};
	sock.on("connection", next);
	sock.on("sent", next);
	sock.connect(port, "127.0.0.1");
}
else {
	let left = Number(a);
	const c0 = cpu(), t0 = Date.now();
	const once = () => {
		if (left-- <= 0) {
			trace(`elapsed ${Date.now() - t0}\ncpu ${cpu() - c0}\n`);
			return;
		}
		const s = net.createConnection(net.TCP, secure);
		s.on("connection", (c) => { c.close(); once(); });
		s.on("reconnection", (_c, e) => trace(`failed ${e}\n`));
		s.connect(port, "127.0.0.1");
	};
	once();
}
