// NodeMCU TLS scenarios for tests/tls-nodemcu.test.js. args: mode, port, host, CA PEM ("-": none), client PEM
// (certificate + PKCS#8 key, "-": none). Reports with trace() lines; exits by itself when done.
import net from "nodemcu/net";
import tls from "nodemcu/tls";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const [mode, portText, host, caPem, clientPem] = args;
const port = Number(portText);

if (caPem && caPem !== "-" && mode !== "args") log(`verify ${tls.cert.verify(caPem)}`);
if (clientPem && clientPem !== "-") log(`auth ${tls.cert.auth(clientPem)}`);

// byte n of the bulk stream is (n * 7 + (n >> 10)) & 255; Node checks the same
const byteAt = (n: number) => (n * 7 + (n >> 10)) & 255;

function events(s: NetSocket, onConnection: (s: NetSocket) => void): void {
	s.on("connection", (c) => { log("connection"); onConnection(c); });
	s.on("reconnection", (_c, e) => log(`reconnection ${e}`));
	s.on("disconnection", (_c, e) => log(`disconnection ${e}`));
}

switch (mode) {
	// connect, send "hello", print the reply, close when the server closes
	case "hello":
	case "hello-net": {
		if (mode === "hello") tls.setDebug(Number(args[5] ?? 0));
		const s = mode === "hello-net" ? net.createConnection(net.TCP, 1) : tls.createConnection();
		events(s, (c) => c.send("hello"));
		s.on("receive", (_c, data) => log(`receive ${data}`));
		s.connect(port, host);
		break;
	}
	case "verify-off": {
		log(`verify ${tls.cert.verify(false)}`);
		const s = tls.createConnection();
		events(s, (c) => c.send("hello"));
		s.on("receive", (_c, data) => log(`receive ${data}`));
		s.connect(port, host);
		break;
	}
	// 1 MiB to an echo server in 16 KiB sends, 1 MiB back, both checked byte by byte
	case "bulk": {
		const TOTAL = 1 << 20, PIECE = 16384;
		const s = tls.createConnection();
		s.format = "buffer";
		let sent = 0, received = 0, bad = -1;
		const sendMore = (c: NetSocket) => {
			if (sent >= TOTAL) return;
			const piece = new Uint8Array(PIECE);
			for (let i = 0; i < PIECE; i++) piece[i] = byteAt(sent + i);
			sent += PIECE;
			c.send(piece.buffer);
		};
		events(s, sendMore);
		s.on("sent", sendMore);
		s.on("receive", (c, data) => {
			const b = new Uint8Array(data as ArrayBuffer);
			for (let i = 0; i < b.length; i++) if (bad < 0 && b[i] !== byteAt(received + i)) bad = received + i;
			received += b.length;
			if (received >= TOTAL) {
				log(`bulk received ${received} ${bad < 0 ? "exact" : "mismatch at " + bad}`);
				c.close();
			}
		});
		s.connect(port, host);
		break;
	}
	// One TLS socket for two connections: the first is refused (untrusted CA, -28); in "reconnection" verification
	// is turned off and the same socket connects again: the TLS settings are read again, the handshake starts anew.
	case "retry-unverified": {
		const s = tls.createConnection();
		let tries = 0;
		s.on("connection", (c) => { log("connection"); c.send("hello"); });
		s.on("receive", (_c, data) => log(`receive ${data}`));
		s.on("disconnection", (_c, e) => log(`disconnection ${e}`));
		s.on("reconnection", (c, e) => {
			log(`reconnection ${e}`);
			if (++tries === 1) {
				log(`verify ${tls.cert.verify(false)}`);
				c.connect(port, host);
			}
		});
		s.connect(port, host);
		break;
	}
	// close() right after a 256 KiB send (one send() of many TLS records) that waits in the queue, then connect()
	// the same socket again at once to args[5] ("-": not): the queue still reaches the first server over its TLS
	// session (the handed-off host socket), the second connection gets its own reply.
	case "close-queued-reconnect": {
		const s = tls.createConnection();
		let round = 0;
		s.on("connection", (c) => {
			log(`connection ${round}`);
			if (round === 0) {
				const piece = new Uint8Array(1 << 18);
				for (let i = 0; i < piece.length; i++) piece[i] = byteAt(i);
				c.send(piece.buffer);
				log(`queued ${c.queuedBytes > 0}`);
				round = 1;
				c.close();
				if (args[5] !== "-") c.connect(Number(args[5]), host);
			}
			else c.send("hello");
		});
		s.on("receive", (_c, data) => log(`receive ${round} ${data}`));
		s.on("sent", () => log(`sent ${round}`));
		s.on("disconnection", (_c, e) => log(`disconnection ${round} ${e}`));
		s.connect(port, host);
		break;
	}
	// argument checks of tls.*: NodeMCU-style errors, the VM goes on
	case "args": {
		const attempt = (label: string, fn: () => unknown) => {
			try {
				log(`${label} ok ${fn()}`);
			}
			catch (e) {
				log(`${label} ${(e as Error).message}`);
			}
		};
		attempt("verify(1)", () => tls.cert.verify(1 as never));
		attempt("verify(text)", () => tls.cert.verify("no PEM here"));
		attempt("verify(bad base64)", () => tls.cert.verify("-----BEGIN CERTIFICATE-----\n$$$\n-----END CERTIFICATE-----"));
		attempt("auth(cert only)", () => tls.cert.auth(caPem));
		attempt("auth(false)", () => tls.cert.auth(false));
		attempt("setDebug(5)", () => tls.setDebug(5));
		attempt("setDebug(2)", () => tls.setDebug(2));
		attempt("setDebug(0)", () => tls.setDebug(0));
		break;
	}
	default:
		log(`unknown mode ${mode}`);
}
