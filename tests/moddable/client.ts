// A TCP client on Moddable (tools/check-moddable.js plays the server): it sends a line and 64 KiB in four
// sends, counts "sent" events and the bytes of the answer, then connects to a closed port and reports the error.
//   "config": { "xsnetCheck": { "port": <server port>, "closedPort": <a port nobody listens on> } }
import net from "nodemcu/net";
import config from "mc/config";

const { port, closedPort } = config.xsnetCheck as { port: number; closedPort: number };
const log = (line: string) => trace(line + "\n");
const CHUNK = 16384;

/** 16 KiB of printable ASCII whose content depends on `n` (the peer recomputes it). */
function chunk(n: number): string {
	const letters = "abcdefghijklmnopqrstuvwxyz";
	return letters[n % 26].repeat(CHUNK - 1) + "\n";
}

const sock = net.createConnection(net.TCP, 0);
let sent = 0;
let received = 0;
let head = "";
sock.on("connection", (s) => {
	log("check: connected");
	s.send("hello from moddable\n");
	for (let i = 0; i < 4; i++) s.send(chunk(i));
});
sock.on("sent", () => { sent++; });
sock.on("receive", (_s, data) => {
	const text = String(data);
	if (head.length < 40) head += text.slice(0, 40 - head.length);
	received += text.length;
});
sock.on("disconnection", (_s, err) => {
	log(`check: client sent ${sent} received ${received} head ${JSON.stringify(head.split("\n")[0])} err ${err}`);
	refused();
});
sock.on("reconnection", (_s, err) => log(`check: client failed ${err}`));
sock.connect(port, "127.0.0.1");

function refused() {
	const s = net.createConnection();
	s.on("connection", () => log("check: closed port connected?"));
	s.on("reconnection", (_s, err) => {
		log(`check: refused ${err}`);
		log("check: done");
	});
	s.connect(closedPort, "127.0.0.1");
}
