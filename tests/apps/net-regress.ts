// Regression scenarios found in review (tests/net-regress.test.js). args[0] = scenario.
import net from "nodemcu/net";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");

switch (args[0]) {
	// The DNS query cannot even be sent (run where 127.0.0.1 is unreachable): every event comes on a later turn,
	// never inside connect() / resolve(), so a program retrying from "disconnection" cannot recurse.
	case "dns-unsendable": {
		net.dns.setdnsserver("127.0.0.1");
		let inside = false, retries = 0;
		const s = net.createConnection();
		s.on("dns", (_k, ip) => log(`dns ${ip} inside=${inside}`));
		s.on("disconnection", (_k, err) => {
			log(`disconnection ${err} inside=${inside}`);
			if (++retries < 30) {
				inside = true;
				s.connect(80, "example.test");
				inside = false;
			}
			else log("retried 30 times");
		});
		inside = true;
		s.connect(80, "example.test");
		net.dns.resolve("example.test", (_a, ip) => log(`resolve ${ip} inside=${inside}`));
		inside = false;
		break;
	}

	// close() while connect() resolves a name: the lookup goes with it (the app then has nothing pending).
	case "close-resolving": {
		net.dns.setdnsserver(args[1]);
		const s = net.createConnection();
		s.on("dns", () => log("dns event after close"));
		s.connect(80, "example.test");
		s.close();
		log("closed");
		break;
	}

	// format changed inside "receive": the next delivery uses the new format, even within one host read.
	case "format-switch": {
		const s = net.createConnection();
		let n = 0;
		s.on("receive", (sck, data) => {
			n++;
			log(`#${n} ${typeof data === "string" ? "string" : "buffer"}`);
			if (n === 1) sck.format = "buffer";
		});
		s.on("disconnection", () => log(`done ${n}`));
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// hold() before the connection exists is a no-op: the connection starts unheld.
	case "hold-early": {
		const s = net.createConnection();
		s.connect(Number(args[1]), "127.0.0.1");
		s.hold();
		s.on("receive", (sck, data) => {
			log(`receive ${data}`);
			sck.close();
		});
		break;
	}

	// A server with a 1 s timeout holds the client's socket for 2.5 s while the client keeps sending: the
	// client is not dropped (we stopped the traffic, not the peer); after unhold() everything arrives.
	case "held-timeout": {
		const srv = net.createServer(1);
		let received = 0;
		srv.listen(0, "127.0.0.1", (conn: NetSocket) => {
			conn.format = "buffer";
			conn.on("receive", (sck, data) => {
				received += (data as ArrayBuffer).byteLength;
				if (received === (data as ArrayBuffer).byteLength) {
					sck.hold();
					setTimeout(() => { log("unhold"); sck.unhold(); }, 2500);
				}
			});
			conn.on("reconnection", (_s, err) => log(`server dropped the client: ${err}`));
			conn.on("disconnection", (_s, err) => {
				log(`client done ${err} received ${received}`);
				srv.close();
			});
		});
		log(`listening ${srv.getaddr()[0]}`);
		break;
	}
}
