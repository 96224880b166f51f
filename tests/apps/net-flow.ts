// Flow control and server inactivity scenarios for tests/net-flow.test.js. args[0] = scenario.
import net from "nodemcu/net";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");

switch (args[0]) {
	// hold(): connect to args[1], hold at once, print "held", unhold after args[2] ms, then count and hash
	// every byte until the peer closes. Received bytes are hashed (FNV-1a, 32 bits) in buffer format.
	case "hold": {
		const port = Number(args[1]), holdMs = Number(args[2]);
		const s = net.createConnection();
		s.format = "buffer";
		let count = 0, hash = 0x811c9dc5, events = 0;
		s.on("connection", (sck) => {
			sck.hold();
			log("held");
			setTimeout(() => {
				log(`unhold after ${events} receive events`);
				sck.unhold();
			}, holdMs);
		});
		s.on("receive", (_sck, data) => {
			events++;
			const b = new Uint8Array(data as ArrayBuffer);
			let h = hash;
			for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
			hash = h;
			count += b.length;
		});
		s.on("disconnection", (_sck, err) => log(`done ${count} ${hash.toString(16)} err ${err}`));
		s.connect(port, "127.0.0.1");
		break;
	}

	// Server with a 1 s inactivity timeout; logs each accepted client's events by its peer port; closes itself
	// after args[1] clients have ended.
	case "timeout": {
		let left = Number(args[1]);
		const srv = net.createServer(net.TCP, 1);
		srv.listen(0, "127.0.0.1", (conn: NetSocket) => {
			const [peer] = conn.getpeer();
			const start = Date.now();
			const end = (what: string) => (_s: NetSocket, err: number) => {
				log(`${what} ${peer} ${err} after ${Date.now() - start >= 1000 ? ">=1s" : "<1s"}`);
				if (--left === 0) srv.close();
			};
			conn.on("receive", (sck, data) => sck.send(data));
			conn.on("reconnection", end("reconnection"));
			conn.on("disconnection", end("disconnection"));
		});
		log(`listening ${srv.getaddr()[0]}`);
		break;
	}
}
