// Reliability scenarios (tests/net-reliability.test.js): half-close, the send queue bound, the server timeout
// counting both directions, received text, sent text. args[0] = scenario.
import net from "nodemcu/net";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");

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
}
