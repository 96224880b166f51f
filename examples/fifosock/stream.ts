// The fifosock demo on a real socket: a TCP server that streams a fixed, known text to every client
// through fifosock, queued all at once (many small strings, strings around fifosock's thresholds, big ones
// of tens of kilobytes, multi-byte UTF-8 and lazy generators), then closes the connection from a queued
// function once everything was sent, the way httpserver.lua's finish() does.
//   nc 127.0.0.1 8083 | wc -c        (8083 is the default port; see main.ts)
// A client can check what it got: piece i is `<i>` + UNITS[i % 6] repeated SIZES[i % 17] times + "\n", and
// after every tenth piece a generator adds "(g<i>.1)(g<i>.2)(g<i>.3)" (tests/ported-fifosock.test.js).
import net from "nodemcu/net";
import type { NetServer, NetSocket } from "nodemcu/net";
import { wrap } from "./fifosock.js";
import type { Generator } from "./fifosock.js";

export const UNITS = ["a", "\u00e9", "\u20ac", "\u{1F600}", "ab", "Zz9"];
export const SIZES = [1, 7, 30, 255, 256, 257, 272, 273, 600, 3000, 40, 5, 70000, 12, 1500, 30000, 17];
/** Pieces per connection. */
export const PIECES = 60;

/** Piece `i` of the stream. */
export function piece(i: number): string {
	return `<${i}>` + UNITS[i % UNITS.length].repeat(SIZES[i % SIZES.length]) + "\n";
}

export interface StreamOptions {
	/** TCP port (default 8083; 0 = any free port). */
	port?: number;
	/** Address to listen on (default: every interface, as NodeMCU). */
	ip?: string;
	/** Pieces per connection (default PIECES). */
	pieces?: number;
}

/** Start the server; it prints `fifosock demo listening on <port>` and one line per finished stream. */
export function start(options: StreamOptions = {}): NetServer {
	const count = options.pieces ?? PIECES;
	const srv = net.createServer(net.TCP, 30);
	const onConnection = (conn: NetSocket) => {
		const [peerPort] = conn.getpeer();
		const ssend = wrap(conn);
		for (let i = 0; i < count; i++) {
			ssend(piece(i));
			if (i % 10 === 9) {
				// a lazy generator, as in fifosocktest.lua: three chunks, one per "sent"
				let j = 0;
				const gen: Generator = () => {
					j++;
					return [`(g${i}.${j})`, j < 3 ? gen : undefined];
				};
				ssend(gen);
			}
		}
		// runs once everything above was sent
		ssend(() => {
			conn.on("sent", null);
			try {
				conn.close();
			}
			catch {
				return; // the peer had gone already
			}
			trace(`stream to port ${peerPort} done: ${count} pieces\n`);
		});
		conn.on("disconnection", (_s, err) => {
			if (err !== 0) trace(`stream to port ${peerPort} lost (${err})\n`);
		});
	};
	if (options.ip) srv.listen(options.port ?? 8083, options.ip, onConnection);
	else srv.listen(options.port ?? 8083, onConnection);
	const [port] = srv.getaddr();
	trace(`fifosock demo listening on ${port}\n`);
	return srv;
}
