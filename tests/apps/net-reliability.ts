// Reliability scenarios (tests/net-reliability.test.js): half-close (a reply after the peer's FIN), the send queue
// bound, the server timeout counting both directions, received text, sent text. args[0] = scenario.
import net from "nodemcu/net";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";
import socket from "luatos/socket";
import { setSendQueueLimit, sendQueueLimit } from "xsnet/core/limits";
import { Utf8Decoder } from "xsnet/core/utf8";

const log = (line: string) => trace(line + "\n");

/** Bytes `at`..`at + n` of the half-close replies (tests/net-reliability.test.js replyBytes() gives the same). */
function replyChunk(at: number, n: number): Uint8Array {
	const chunk = new Uint8Array(n);
	for (let j = 0; j < n; j++) {
		const i = at + j;
		chunk[j] = (i + 7 * (i >>> 8) + 13 * (i >>> 16)) & 255;
	}
	return chunk;
}

switch (args[0]) {
	// Send each string of args[2] (JSON: arrays of UTF-16 code units) with its own send(), "|" between them.
	case "send-strings": {
		const list = JSON.parse(args[2]) as number[][];
		const s = net.createConnection();
		let sent = 0;
		s.on("connection", (sck) => {
			for (const units of list) {
				sck.send(String.fromCharCode(...units));
				sck.send("|");
			}
		});
		s.on("sent", (sck) => {
			if (++sent === 2 * list.length) sck.close();
		});
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// A server with a 1 s timeout streams 4 KiB every 100 ms for 3 s to a client that sends nothing after its
	// request: sending is activity too, so the client is not dropped.
	case "stream-timeout": {
		const srv = net.createServer(1);
		srv.listen(0, "127.0.0.1", (conn: NetSocket) => {
			let ticks = 0, timer: ReturnType<typeof setInterval> | undefined;
			conn.on("receive", (sck) => {
				if (timer) return;
				timer = setInterval(() => {
					sck.send(new Uint8Array(4096).fill(0x61));
					if (++ticks === 30) {
						clearInterval(timer);
						sck.close();
						srv.close();
						log(`streamed ${ticks * 4096}`);
					}
				}, 100);
			});
			conn.on("reconnection", (_s, err) => {
				log(`server dropped the client: ${err}`);
				clearInterval(timer);
				srv.close();
			});
		});
		log(`listening ${srv.getaddr()[0]}`);
		break;
	}

	// Send 64 KiB chunks (chunk i filled with i & 255) in one turn until send() refuses one (at most 64); then one
	// chunk larger than the limit is refused too; once everything accepted was sent, one more chunk is accepted.
	// args[2]: the limit to set (bytes), or "default".
	case "queue-full": {
		if (args[2] !== "default") setSendQueueLimit(Number(args[2]));
		const s = net.createConnection();
		s.format = "buffer";
		let accepted = 0, sent = 0, last = false;
		const chunk = (i: number) => new Uint8Array(65536).fill(i & 255);
		s.on("connection", (sck) => {
			for (; accepted < 64; accepted++) {
				try {
					sck.send(chunk(accepted));
				}
				catch (e) {
					log(`refused #${accepted}: ${(e as Error).message}; queued ${sck.queuedBytes} <= ${sendQueueLimit()}`);
					break;
				}
			}
			if (accepted === 64) log("no error");
			const before = sck.queuedBytes;
			try {
				sck.send(new Uint8Array(sendQueueLimit() + 65536 * 2));
			}
			catch (e) {
				log(`big refused ${(e as Error).message.startsWith("send queue full")} queued unchanged ${sck.queuedBytes === before}`);
			}
			log(`accepted ${accepted}`);
		});
		s.on("sent", (sck) => {
			if (++sent === accepted && !last) {
				last = true;
				log(`drained ${sck.queuedBytes}`);
				sck.send(chunk(accepted), () => sck.close());
			}
		});
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// The same with luatos/socket's tx(): [false, true, false] when full, then accepted again after TX_OK.
	case "luatos-queue-full": {
		let accepted = 0, done = false;
		const chunk = (i: number) => new Uint8Array(65536).fill(i & 255);
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.ON_LINE) {
				let r: unknown[] = [];
				for (; accepted < 64; accepted++) {
					r = socket.tx(c, chunk(accepted));
					if (!r[0]) break;
				}
				log(`tx ${JSON.stringify(r)} after ${accepted}`);
			}
			else if (event === socket.TX_OK && param === 0 && !done) {
				done = true;
				log(`tx again ${JSON.stringify(socket.tx(c, chunk(accepted)))}`);
			}
			else if (event === socket.TX_OK && param === 0) socket.close(c);
		})!;
		socket.connect(ctrl, "127.0.0.1", Number(args[1]));
		break;
	}

	// Decode each byte sequence of args[1] (JSON) split at every pair of points (1, 2 or 3 chunks, empty chunks
	// included) with the streaming decoder, through decode() and through decodeBuffer() (TCP's text receive: each
	// chunk in a buffer of its own); print one JSON line per sequence: the distinct results (code units).
	case "decode-splits": {
		const list = JSON.parse(args[1]) as number[][];
		const units = (s: string) => Array.from(s, (c) => c.codePointAt(0));     // code points (XS's charCodeAt differs)
		const viaBuffer = (d: Utf8Decoder, part: Uint8Array) => part.length ? d.decodeBuffer(part.slice().buffer, part.length) : "";
		for (const seq of list) {
			const bytes = Uint8Array.from(seq);
			const seen: string[] = [];
			for (let i = 0; i <= bytes.length; i++) {
				for (let j = i; j <= bytes.length; j++) {
					const d = new Utf8Decoder();
					const text = d.decode(bytes.subarray(0, i)) + d.decode(bytes.subarray(i, j)) + d.decode(bytes.subarray(j)) + d.end();
					const r = JSON.stringify(units(text));
					if (!seen.includes(r)) seen.push(r);
					const b = new Utf8Decoder();
					const again = viaBuffer(b, bytes.subarray(0, i)) + viaBuffer(b, bytes.subarray(i, j)) + viaBuffer(b, bytes.subarray(j)) + b.end();
					const s = JSON.stringify(units(again));
					if (!seen.includes(s)) seen.push(s);
				}
			}
			log(`[${seen.join(",")}]`);
		}
		break;
	}

	// Half-close: a server answers the first "receive" with args[1] bytes in send()s of args[2] bytes each (byte i of
	// the whole reply is (i + 7 * (i >>> 8) + 13 * (i >>> 16)) & 255), the peer having already shut down its write
	// side. Prints "listening <port>", then once "disconnection <err> sent <n>" (n = "sent" events so far), and
	// "late sent" for any "sent" after it; only "disconnection" is registered (an error would go to "reconnection").
	case "half-close-reply": {
		const total = Number(args[1]), size = Number(args[2]);
		if (total > sendQueueLimit()) setSendQueueLimit(total);
		const srv = net.createServer(30);
		srv.listen(0, "127.0.0.1", (conn: NetSocket) => {
			let replied = false, sent = 0, closed = false;
			conn.on("receive", (sck) => {
				if (replied) return;
				replied = true;
				for (let at = 0; at < total; at += size) {
					const chunk = replyChunk(at, total - at < size ? total - at : size);
					sck.send(chunk);
				}
			});
			conn.on("sent", () => {
				sent++;
				if (closed) log("late sent");
			});
			conn.on("disconnection", (_s, err) => {
				if (closed) log("second disconnection");
				closed = true;
				log(`disconnection ${err} sent ${sent}`);
				srv.close();
			});
		});
		log(`listening ${srv.getaddr()[0]}`);
		break;
	}

	// The same with luatos/socket: a client reads the server's request (after which the server half-closes), then
	// tx()s args[2] bytes in tx()s of args[3] bytes (the same bytes as "half-close-reply"); prints every TX_OK,
	// EVENT and CLOSED with its param, and closes the ctrl at the first failure.
	case "luatos-half-close": {
		const total = Number(args[2]), size = Number(args[3]);
		if (total > sendQueueLimit()) setSendQueueLimit(total);
		let replied = false;
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.EVENT && param === 0 && !replied) {
				replied = true;
				socket.read(c);
				for (let at = 0; at < total; at += size) {
					const chunk = replyChunk(at, total - at < size ? total - at : size);
					socket.tx(c, chunk);
				}
				return;
			}
			if (event === socket.TX_OK) log(`TX_OK ${param}`);
			else if (event === socket.EVENT) log(`EVENT ${param}`);
			else if (event === socket.CLOSED) log(`CLOSED ${param}`);
			if (param !== 0) socket.close(c);
		})!;
		socket.connect(ctrl, "127.0.0.1", Number(args[1]));
		break;
	}

	// Receive as text from a peer that sends in separate segments; print the code units of everything received.
	case "receive-text": {
		const s = net.createConnection();
		let text = "";
		s.on("receive", (_s, data) => { text += data as string; });
		s.on("disconnection", () => log(JSON.stringify(Array.from(text, (c) => c.codePointAt(0)))));
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}
}
