// luatos/socket TLS scenarios for tests/luatos-tls.test.js. args: mode, port, host, serverCert PEM ("-": none),
// clientCert PEM ("-"), clientKey PEM ("-"). Every line the test checks is printed with trace().
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import zbuff, { zbuffBytes } from "luatos/zbuff";
import args from "xsnet-sim/args";
import { log, name, show } from "./luatos-probe.js";

const [mode, portText, host, caPem, certPem, keyPem] = args;
const port = Number(portText);
const opt = (v: string | undefined) => (v && v !== "-" ? v : undefined);
const byteAt = (n: number) => (n * 7 + (n >> 10)) & 255;

function open(step: (c: SocketCtrl, event: number, param: number) => void): void {
	const ctrl = socket.create(socket.LWIP_STA, step)!;
	log(`config ${socket.config(ctrl, 0, false, true, undefined, undefined, undefined, opt(caPem), opt(certPem), opt(keyPem))}`);
	log(`connect ${show(socket.connect(ctrl, host, port))} state=${show(socket.state(ctrl))}`);
}

switch (mode) {
	// ON_LINE, tx "hello", read the reply, the server's close: CLOSED
	case "hello": {
		open((c, event, param) => {
			log(`event ${name(event)} ${param} state=${show(socket.state(c))}`);
			if (event === socket.ON_LINE && param === 0) log(`tx ${show(socket.tx(c, "hello"))}`);
			else if (event === socket.EVENT && param === 0) log(`read ${show(socket.read(c))}`);
			else if (event === socket.CLOSED || param !== 0) socket.release(c);
		});
		break;
	}
	// 1 MiB to an echo server in 16 KiB tx calls, 1 MiB back through rx into a zbuff, both checked byte by byte
	case "bulk": {
		const TOTAL = 1 << 20, PIECE = 16384;
		const buf = zbuff.create(PIECE * 4)!;
		let sent = 0, received = 0, bad = -1;
		const more = (c: SocketCtrl) => {
			if (sent >= TOTAL) return;
			const piece = new Uint8Array(PIECE);
			for (let i = 0; i < PIECE; i++) piece[i] = byteAt(sent + i);
			sent += PIECE;
			socket.tx(c, piece);
		};
		open((c, event, param) => {
			if (event === socket.ON_LINE) {
				log(`event ON_LINE ${param}`);
				if (param === 0) more(c);
				else socket.release(c);
			}
			else if (event === socket.TX_OK) more(c);
			else if (event === socket.EVENT) {
				for (;;) {
					buf.del();
					const r = socket.rx(c, buf);
					const n = buf.used();
					if (!r[0] || !n) break;
					const b = zbuffBytes(buf);
					for (let i = 0; i < n; i++) if (bad < 0 && b[i] !== byteAt(received + i)) bad = received + i;
					received += n;
				}
				if (received >= TOTAL) {
					log(`bulk received ${received} ${bad < 0 ? "exact" : "mismatch at " + bad}`);
					socket.release(c);
				}
			}
			else if (event === socket.CLOSED) socket.release(c);
		});
		break;
	}
	default:
		log(`unknown mode ${mode}`);
}
