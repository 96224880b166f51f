// TCP client scenarios for tests/net-tcp-client.test.js. args[0] = scenario, the rest its parameters.
// Reports with trace() lines; exits by itself when done (the simulator exits when nothing is pending).
import net from "nodemcu/net";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";
import { setSendQueueLimit } from "xsnet/core/limits";

const log = (line: string) => trace(line + "\n");
const mode = args[0];
const port = Number(args[1]);

function hex(data: ArrayBuffer): string {
	const b = new Uint8Array(data);
	const out: string[] = [];
	for (let i = 0; i < b.length; i++) out.push((b[i] < 16 ? "0" : "") + b[i].toString(16));
	return out.join("");
}

// The stream pattern of the bulk scenarios: byte n of the stream is PATTERN[n % PERIOD].
// Node regenerates it (tests/support/net-peers.js pattern()).
const PERIOD = 65521;
function makePattern(extra: number): Uint8Array {
	const p = new Uint8Array(PERIOD + extra);
	for (let i = 0; i < p.length; i++) {
		const j = i % PERIOD;
		p[i] = (j * 31 + (j >> 8) + (j >> 13)) & 255;
	}
	return p;
}

switch (mode) {
	// Event order, getpeer/getaddr, remote close -> disconnection(0), close() when closed, reconnect.
	case "events": {
		const sock = net.createConnection();
		let round = 0;
		sock.on("dns", (s, ip) => log(`dns ${ip} ${s === sock}`));
		sock.on("connection", (s) => {
			log(`connection ${s === sock}`);
			const [pp, pip] = s.getpeer();
			log(`peer ${pp === port} ${pip}`);
			const [lp, lip] = s.getaddr();
			log(`addr ${typeof lp === "number" && lp > 0} ${lip}`);
			s.send(`hello ${round}`);
		});
		sock.on("receive", (s, data) => {
			log(`receive ${typeof data} ${JSON.stringify(data)}`);
			s.send("bye");
		});
		sock.on("sent", (s) => log(`sent ${s === sock}`));
		sock.on("disconnection", (s, err) => {
			log(`disconnection ${err}`);
			const [pp, pip] = s.getpeer();
			log(`peer-after ${pp} ${pip}`);
			const [lp, lip] = s.getaddr();
			log(`addr-after ${lp} ${lip}`);
			try {
				s.close();
				log("close-ok");
			}
			catch (e) {
				log(`close-error ${(e as Error).message}`);
			}
			if (++round < 2) {
				s.connect(port, "127.0.0.1");
				log("reconnecting");
			}
			else log("done");
		});
		const [bp, bip] = sock.getpeer();
		log(`before ${bp} ${bip}`);
		sock.connect(port, "127.0.0.1");
		const [cp, cip] = sock.getpeer();
		log(`connecting ${cp === port} ${cip}`);
		try {
			sock.connect(port, "127.0.0.1");
		}
		catch (e) {
			log(`connect-again ${(e as Error).message}`);
		}
		break;
	}

	// A local close() fires no event; the socket connects again afterwards; send() after close raises.
	case "local-close": {
		const sock = net.createConnection(net.TCP, 0);
		let round = 0;
		sock.on("connection", (s) => {
			log(`connection ${round}`);
			s.send(`round ${round}\n`, (s2) => {
				log(`sent ${round}`);
				s2.close();
				log(`closed ${round}`);
				try {
					s2.send("more");
				}
				catch (e) {
					log(`send-after-close ${(e as Error).message}`);
				}
				if (++round < 2) s2.connect(port);     // host defaults to 127.0.0.1
				else log("done");
			});
		});
		sock.on("disconnection", (_s, err) => log(`disconnection ${err}`));
		sock.on("reconnection", (_s, err) => log(`reconnection ${err}`));
		sock.connect(port, "127.0.0.1");
		break;
	}

	// Connection refused: "reconnection" when registered, else "disconnection"; the socket can retry.
	case "refused": {
		const a = net.createConnection();
		a.on("reconnection", (_s, err) => {
			log(`a reconnection ${err}`);
			const b = net.createConnection();
			let tries = 0;
			b.on("disconnection", (s, err2) => {
				log(`b disconnection ${err2}`);
				if (++tries < 2) s.connect(port, "127.0.0.1");
				else log("done");
			});
			b.connect(port, "127.0.0.1");
		});
		a.on("disconnection", (_s, err) => log(`a disconnection ${err}`));
		a.on("connection", () => log("a connection"));
		a.connect(port);
		break;
	}

	// The NodeMCU docs' HTTP client example, against a local HTTP server.
	case "http": {
		const parts: string[] = [];
		const srv = net.createConnection(net.TCP, 0);
		srv.on("receive", (_sck, c) => parts.push(c as string));
		srv.on("connection", (sck) => {
			sck.send("GET /get HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: */*\r\n\r\n");
		});
		srv.on("disconnection", (_sck, err) => {
			log(`response ${JSON.stringify(parts.join(""))}`);
			log(`disconnection ${err}`);
		});
		srv.connect(port, "127.0.0.1");
		break;
	}

	// Many consecutive send()s of mixed sizes and types, none waiting for "sent": all bytes arrive in order,
	// "sent" fires once per send(). Then close().
	case "bulk-up": {
		setSendQueueLimit(Infinity);   // queues MiBs in one turn: past the default send queue bound (1 MiB)
		const total = Number(args[2]);
		const pattern = makePattern(70000);
		const sock = net.createConnection();
		let sends = 0, sent = 0, queued = 0;
		sock.on("sent", (s) => {
			if (++sent === sends) {
				log(`sent ${sent} of ${sends}`);
				s.close();
			}
		});
		sock.on("connection", (s) => {
			let size = 1;
			while (queued < total) {
				let n = Math.min(size, total - queued);
				const off = queued % PERIOD;
				const kind = sends % 3;
				if (kind === 0) s.send(pattern.subarray(off, off + n));                 // view with an offset
				else if (kind === 1) s.send(pattern.slice(off, off + n).buffer);        // ArrayBuffer
				else s.send(new DataView(pattern.buffer, off, n));                       // DataView
				sends++;
				queued += n;
				size = (size * 7 + 13) % 70000 + 1;
			}
			log(`queued ${queued} in ${sends} sends`);
		});
		sock.connect(port, "127.0.0.1");
		break;
	}

	// One send() of a 4 MiB string, issued before the connection exists (queued from the start), then close
	// from its "sent" callback.
	case "big-send": {
		setSendQueueLimit(Infinity);   // queues MiBs in one turn: past the default send queue bound (1 MiB)
		const unit = String(args[2]);
		const count = Number(args[3]);
		const text = unit.repeat(count);
		const sock = net.createConnection();
		sock.on("connection", () => log("connection"));
		sock.connect(port, "127.0.0.1");
		sock.send(text, (s) => {
			log("sent");
			s.close();
		});
		log("queued");
		break;
	}

	// send() a large amount then close() at once: everything is still delivered, then FIN.
	case "close-drain": {
		setSendQueueLimit(Infinity);   // queues MiBs in one turn: past the default send queue bound (1 MiB)
		const total = Number(args[2]);
		const pattern = makePattern(0);
		const sock = net.createConnection();
		sock.on("sent", () => log("sent-after-close (wrong)"));
		sock.on("connection", (s) => {
			let queued = 0;
			while (queued < total) {
				const n = Math.min(PERIOD, total - queued);
				s.send(pattern.subarray(0, n));
				queued += n;
			}
			s.close();
			log(`closed with ${queued} queued`);
		});
		sock.connect(port, "127.0.0.1");
		break;
	}

	// A socket closed with MiBs queued connects again at once (args[2] = the second server's port, args[3] = bytes):
	// the queue still reaches the first server, and a connect() changed before its name resolved counts only once.
	case "reconnect-queued": {
		setSendQueueLimit(Infinity);
		const portB = Number(args[2]), total = Number(args[3]);
		const pattern = makePattern(0);
		const sock = net.createConnection();
		let round = 0;
		sock.on("dns", (_s, ip) => log(`dns ${round} ${ip}`));
		sock.on("sent", () => log(`sent ${round}`));
		sock.on("receive", (_s, data) => log(`receive ${round} ${data}`));
		sock.on("disconnection", (_s, err) => log(`disconnection ${round} ${err}`));
		sock.on("connection", (s) => {
			if (round === 1) {
				log(`connection 1 to the second server ${s.getpeer()[0] === portB}`);
				s.send("second\n");
				return;
			}
			let queued = 0;
			while (queued < total) {
				const n = Math.min(PERIOD, total - queued);
				s.send(pattern.subarray(0, n));
				queued += n;
			}
			log(`queued ${s.queuedBytes > total / 2}`);
			s.close();
			round = 1;
			log(`after close ${s.queuedBytes} ${JSON.stringify(s.getpeer())}`);
			s.connect(port, "127.0.0.2");         // another address ... then the second server, before either resolved
			s.close();
			s.connect(portB, "127.0.0.1");
		});
		sock.connect(port, "127.0.0.1");
		break;
	}

	// Echo everything back (args[2] = "string" or "buffer"); the peer checks the bytes and closes.
	case "echo": {
		const format = args[2] as "string" | "buffer";
		const sock = net.createConnection();
		sock.format = format;
		let events = 0, bad = 0;
		sock.on("receive", (s, data) => {
			events++;
			if (typeof data !== (format === "string" ? "string" : "object")) bad++;
			s.send(data);
		});
		sock.on("disconnection", (_s, err) => log(`disconnection ${err} events ${events > 0} bad ${bad}`));
		sock.connect(port, "127.0.0.1");
		break;
	}

	// Receive bytes 0..255 (format "buffer") and report them; send them back as ArrayBuffer, view and DataView.
	case "bytes": {
		const sock = net.createConnection();
		sock.format = "buffer";
		const got: ArrayBuffer[] = [];
		sock.on("receive", (_s, data) => got.push(data as ArrayBuffer));
		sock.on("connection", (s) => {
			const all = new Uint8Array(256);
			for (let i = 0; i < 256; i++) all[i] = i;
			s.send(all.buffer);
			const bigger = new Uint8Array(300);
			bigger.set(all, 17);
			s.send(bigger.subarray(17, 17 + 256));
			s.send(new DataView(bigger.buffer, 17, 256));
		});
		sock.on("disconnection", (_s, err) => {
			let total = 0;
			for (const g of got) total += g.byteLength;
			const joined = new Uint8Array(total);
			let o = 0;
			for (const g of got) {
				joined.set(new Uint8Array(g), o);
				o += g.byteLength;
			}
			log(`received ${hex(joined.buffer)}`);
			log(`disconnection ${err}`);
		});
		sock.connect(port, "127.0.0.1");
		break;
	}

	// Report each "receive" string as JSON (the peer splits UTF-8 characters across segments).
	case "utf8": {
		const sock = net.createConnection();
		sock.on("receive", (_s, data) => log(`receive ${JSON.stringify(data)}`));
		sock.on("disconnection", (_s, err) => log(`disconnection ${err}`));
		sock.connect(port, "127.0.0.1");
		break;
	}

	// An exception in one socket's callback is reported and harms neither that socket's machinery nor others.
	case "throw": {
		let a: NetSocket | undefined;
		const b = net.createConnection();
		a = net.createConnection();
		a.on("receive", () => {
			throw new Error("boom");
		});
		a.on("connection", (s) => s.send("a1\n"));
		b.on("connection", (s) => s.send("b1\n"));
		let bReceived = 0;
		b.on("receive", (s, data) => {
			log(`b receive ${JSON.stringify(data)}`);
			if (++bReceived === 1) {
				a!.send("a2\n");
				s.send("b2\n");
			}
			else {
				a!.close();
				s.close();
				log("done");
			}
		});
		a.connect(port, "127.0.0.1");
		b.connect(port, "127.0.0.1");
		break;
	}

	// hold()/unhold(): nothing is delivered while held; everything afterwards, in order. Socket A is held; the
	// peer writes its data to A, then says "written" on socket B; only then A is released.
	case "hold": {
		const a = net.createConnection();
		const b = net.createConnection();
		const parts: string[] = [];
		let held = true;
		a.on("connection", (s) => {
			s.hold();
			s.send("A\n");
			b.connect(port, "127.0.0.1");
		});
		a.on("receive", (s, data) => {
			if (held) log("receive while held (wrong)");
			parts.push(data as string);
			const text = parts.join("");
			if (text.endsWith("END")) {
				log(`received ${text.length}`);
				s.close();
				b.close();
			}
		});
		b.on("connection", (s) => s.send("B\n"));
		b.on("receive", (_s, data) => {
			log(`b ${JSON.stringify(data)}`);
			held = false;
			a.unhold();
		});
		a.connect(port, "127.0.0.1");
		break;
	}

	default:
		log(`unknown mode ${mode}`);
}
