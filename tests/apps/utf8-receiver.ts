// For tests/net-hostile.test.js: a nodemcu/net client in text format ("string", the default) connects to
// 127.0.0.1:`args[0]` and counts what it receives; at the end prints "got <UTF-16 units> fffd <U+FFFD count>"
// and "zbuff <units>" (the same bytes through luatos/zbuff's toStr, collected as binary on a second socket).
import net from "nodemcu/net";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";

let units = 0, fffd = 0;
const text = net.createConnection();
text.on("receive", (_s, data) => {
	const s = data as string;
	units += s.length;
	for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0xFFFD) fffd++;
});
text.on("disconnection", () => {
	trace(`got ${units} fffd ${fffd}\n`);
	const bytes: ArrayBuffer[] = [];
	const binary = net.createConnection();
	binary.format = "buffer";
	binary.on("receive", (_s, data) => { bytes.push(data as ArrayBuffer); });
	binary.on("disconnection", () => {
		const total = bytes.reduce((n, b) => n + b.byteLength, 0);
		const buf = zbuff.create(total)!;
		let at = 0;
		for (const b of bytes) { buf.seek(at); buf.write(b); at += b.byteLength; }
		trace(`zbuff ${buf.toStr(0, total).length}\n`);
	});
	binary.connect(Number(args[0]), "127.0.0.1");
});
text.connect(Number(args[0]), "127.0.0.1");
