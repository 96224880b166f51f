// A TCP client on Moddable (tools/check-moddable.js plays the server): it sends a line and 64 KiB in four
// sends, counts "sent" events and the characters of the answer (UTF-8 text with 2-, 3- and 4-byte characters
// and NULs, decoded by xsnet/native's utf8Text: modules/native/common/utf8.c as Moddable builds it) with a hash of
// their code points (an XS string's length and indexes count code points: its strings are UTF-8), decodes a few invalid byte sequences (UTF8_VECTORS, also split in two), then connects to a closed port
// and reports the error.
//   "config": { "xsnetCheck": { "port": <server port>, "closedPort": <a port nobody listens on> } }
import net from "nodemcu/net";
import config from "mc/config";
import { decodeUtf8, Utf8Decoder } from "xsnet/core/utf8";

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
let hash = 0;
/** The byte sequences decoded at the end (tests/moddable/scenarios.js decodes the same with Node's TextDecoder). */
const UTF8_VECTORS = [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x41, 0x00, 0x42], [0x80, 0x41],
	[0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac], [0x41, 0xff, 0xc3, 0xa9]];
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
	for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.codePointAt(i)!) >>> 0;
});
sock.on("disconnection", (_s, err) => {
	log(`check: client sent ${sent} received ${received} head ${JSON.stringify(head.split("\n")[0])} err ${err}`);
	log(`check: hash ${hash}`);
	const decoded = UTF8_VECTORS.map((v) => {
		const bytes = Uint8Array.from(v), d = new Utf8Decoder(), cut = v.length >> 1;
		const split = d.decode(bytes.subarray(0, cut)) + d.decode(bytes.subarray(cut)) + d.end();
		return [decodeUtf8(bytes), split].map((t) => Array.from(t, (c) => c.codePointAt(0)));
	});
	log(`check: utf8 ${JSON.stringify(decoded)}`);
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
