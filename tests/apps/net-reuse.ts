// One NodeMCU socket object used for several connections, and its "receive"/"sent" callbacks changed mid-stream
// (tests/net-reuse.test.js): nothing of one connection (decoder carry, hold, "sent" owed, the server's inactivity
// limit) reaches the next. args[0] = scenario, then ports of local peers.
import net from "nodemcu/net";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const show = (data: string | ArrayBuffer) => JSON.stringify(typeof data === "string" ? data : String.fromArrayBuffer(data));

switch (args[0]) {
	// Peer A sends "ab" and the first two bytes of "€" (E2 82); on that receive the socket closes and connects to
	// peer B, which sends "xyz" and closes: B's text comes whole, without A's cut character.
	case "carry": {
		const s = net.createConnection();
		let round = 0;
		s.on("receive", (sck, data) => {
			log(`receive ${round} ${show(data)}`);
			if (round === 0) {
				round = 1;
				sck.close();
				sck.connect(Number(args[2]), "127.0.0.1");
			}
		});
		s.on("disconnection", (_s, err) => log(`disconnection ${round} ${err}`));
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// hold() on the connection to A, close(), connect to B: B's bytes arrive (the new connection is not held).
	case "hold": {
		const s = net.createConnection();
		let round = 0;
		s.on("connection", (sck) => {
			if (round === 0) {
				sck.hold();
				round = 1;
				sck.close();
				sck.connect(Number(args[2]), "127.0.0.1");
			}
		});
		s.on("receive", (_s, data) => log(`receive ${round} ${show(data)}`));
		s.on("disconnection", (_s, err) => log(`disconnection ${round} ${err}`));
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// send() to A from a timer (taken whole by the stack: its "sent" is due with A's next host event), then close()
	// and connect to B at once: no "sent" on B's connection for A's send; B's own send gets exactly one.
	case "sent-owed": {
		const s = net.createConnection();
		let round = 0, sent = 0;
		s.on("sent", () => {
			sent++;
			log(`sent ${round}`);
		});
		s.on("connection", (sck) => {
			if (round === 0) {
				setTimeout(() => {           // (outside a host event of A: its "sent" waits for the next one)
					sck.send("to A");
					round = 1;
					sck.close();
					sck.connect(Number(args[2]), "127.0.0.1");
				}, 50);
			}
			else sck.send("to B");
		});
		s.on("receive", (sck, data) => {
			log(`receive ${round} ${show(data)}`);
		});
		s.on("disconnection", (_s, err) => log(`disconnection ${round} ${err} sent ${sent}`));
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// "receive" removed with on("receive", nil) mid-stream: the bytes go by unseen; set again, it gets the rest.
	// "sent" removed likewise: no call; set again, one per send. The peer sends "1", "2", "3" 300 ms apart; the
	// socket sends "a" after "1", "b" after "2", "c" after "3".
	case "off-and-on": {
		const s = net.createConnection();
		let n = 0;
		const onSent = () => log(`sent ${n}`);
		const onReceive = (sck: NetSocket, data: string | ArrayBuffer) => {
			n++;
			log(`receive ${show(data)}`);
			sck.send(["a", "b", "c"][n - 1] ?? "?");
			if (n === 1) {
				sck.on("receive", null);
				sck.on("sent", null);
				setTimeout(() => {
					log("on again");
					sck.on("receive", onReceive);
					sck.on("sent", onSent);
				}, 450);
			}
		};
		s.on("receive", onReceive);
		s.on("sent", onSent);
		s.on("disconnection", (_s, err) => log(`disconnection ${err}`));
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// An accepted socket of a server with a 1 s timeout is closed and connected as a client to A, which stays silent
	// for 2 s and then sends "late" and closes: no -13 (the server's limit is not the client's).
	case "accepted-reused": {
		const srv = net.createServer(1);
		srv.listen(0, "127.0.0.1", (conn: NetSocket) => {
			srv.close();
			conn.close();
			conn.on("receive", (_s, data) => log(`receive ${show(data)}`));
			conn.on("disconnection", (_s, err) => log(`disconnection ${err}`));
			conn.connect(Number(args[1]), "127.0.0.1");
		});
		const c = net.createConnection();
		c.on("disconnection", () => undefined);
		c.connect(srv.getaddr()[0]!, "127.0.0.1");
		break;
	}
	// connect() to 127.0.0.2 (an IP literal "resolves" on a later turn), close(), connect() to 127.0.0.1 in the same
	// turn: one "dns" (127.0.0.1), one connection, to args[1].
	case "literal-twice": {
		const s = net.createConnection();
		s.on("dns", (_s, ip) => log(`dns ${ip}`));
		s.on("connection", (sck) => {
			log(`connection ${sck.getpeer()[1]}:${sck.getpeer()[0] === Number(args[1]) ? "args[1]" : sck.getpeer()[0]}`);
			sck.close();
		});
		s.on("disconnection", (_s, err) => log(`disconnection ${err}`));
		s.connect(Number(args[1]), "127.0.0.2");
		s.close();
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}
}
