// UTF-8 text (tests/utf8-text.test.js): src/core/utf8.ts over xsnet/native's utf8Text (modules/native/common/
// utf8.c), against Node's TextDecoder. args[0] = scenario.
import net from "nodemcu/net";
import socket from "luatos/socket";
import args from "xsnet-sim/args";
import TextEncoder from "text/encoder";
import { Utf8Decoder, decodeUtf8 } from "xsnet/core/utf8";
import { utf8Text } from "xsnet/native";

const log = (line: string) => trace(line + "\n");
/** Code points (an XS string's indexes count code points). */
const points = (s: string) => Array.from(s, (c) => c.codePointAt(0));
const hex = (b: Uint8Array) => Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/** `bytes` as a stream cut into chunks of `sizes` (cyclically; 0: an empty chunk), through `decode`. */
function stream(bytes: Uint8Array, sizes: number[], decode: (d: Utf8Decoder, part: Uint8Array) => string): string {
	const d = new Utf8Decoder();
	let text = "";
	for (let at = 0, k = 0; at < bytes.length; k++) {
		const n = sizes[k % sizes.length];
		text += decode(d, bytes.subarray(at, at + n));
		at += n;
		if (k > bytes.length + sizes.length) throw new Error("no progress");
	}
	return text + d.end();
}

switch (args[0]) {
	// args[1]: JSON [[hex bytes, [chunk sizes]], ...]. For each, one JSON line: the code points decoded whole
	// (decodeUtf8), as a stream through decode() (each chunk a view into the whole), and through decodeBuffer()
	// (each chunk at the start of a buffer of its own, as TCP's text receive reads it), then the UTF-8 that
	// TextEncoder makes of the whole's text (hex).
	case "chunks": {
		const list = JSON.parse(args[1]) as [string, number[]][];
		const encoder = new TextEncoder();
		for (const [h, sizes] of list) {
			const bytes = fromHex(h);
			const whole = decodeUtf8(bytes);
			const viaDecode = stream(bytes, sizes, (d, part) => d.decode(part));
			const viaBuffer = stream(bytes, sizes, (d, part) => {
				if (!part.length) return "";
				const own = new Uint8Array(part.length + 16);     // longer than the chunk: only n bytes are read
				own.set(part);
				own.fill(0xFF, part.length);
				return d.decodeBuffer(own.buffer, part.length);
			});
			log(JSON.stringify([points(whole), points(viaDecode), points(viaBuffer), hex(new Uint8Array(encoder.encode(whole)))]));
		}
		break;
	}

	// nodemcu/net text receive from 127.0.0.1:args[1]: at the end, the code points of everything received.
	case "receive": {
		const s = net.createConnection();
		let text = "";
		s.on("receive", (_s, data) => { text += data as string; });
		s.on("disconnection", () => log(JSON.stringify(points(text))));
		s.connect(Number(args[1]), "127.0.0.1");
		break;
	}

	// utf8Text's offset, length and carry are numbers by conversion, which may run the program (valueOf): one that
	// detaches or shrinks the buffer meanwhile must not leave the C reading the bytes it had before. One line per
	// case: the result's code points, or the error's constructor name.
	case "hostile-args": {
		const attempt = (name: string, run: () => string | undefined) => {
			if (args[1] && args[1] !== name) return;
			let out: string;
			try {
				const text = run();
				out = text === undefined ? "undefined" : JSON.stringify(points(text));
			}
			catch (e) {
				out = (e as Error).constructor.name;
			}
			log(`${name} ${out}`);
		};
		const filled = (buffer: ArrayBuffer) => {
			new Uint8Array(buffer).fill(0x61);
			return buffer;
		};
		attempt("transfer-in-offset", () => {
			const buffer = filled(new ArrayBuffer(64));
			return utf8Text(buffer, { valueOf() { (buffer as any).transfer(); return 0; } } as unknown as number, 64);
		});
		attempt("transfer-in-length", () => {
			const buffer = filled(new ArrayBuffer(64));
			return utf8Text(buffer, 0, { valueOf() { (buffer as any).transfer(); return 64; } } as unknown as number);
		});
		attempt("shrink-in-length", () => {
			const buffer = filled(new (ArrayBuffer as any)(64, { maxByteLength: 128 }));
			return utf8Text(buffer, 0, { valueOf() { (buffer as any).resize(4); return 64; } } as unknown as number);
		});
		attempt("shrink-in-carry", () => {
			const buffer = filled(new (ArrayBuffer as any)(64, { maxByteLength: 128 }));
			return utf8Text(buffer, 0, 64, { valueOf() { (buffer as any).resize(4); return 0; } } as unknown as number, {});
		});
		break;
	}

	// luatos/socket read() as strings from 127.0.0.1:args[1] (EVENT(0): new data, EVENT(-1): the peer closed): at
	// the end, the code points of everything read.
	case "luatos-read": {
		let text = "", done = false;
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.EVENT) {
				const r = socket.read(c);
				if (r[0] && r[1]) text += r[1] as string;
				if (param !== 0 && !done) {
					done = true;
					log(JSON.stringify(points(text)));
					socket.close(c);
				}
			}
			else if (event === socket.CLOSED) socket.release(c);
		})!;
		socket.connect(ctrl, "127.0.0.1", Number(args[1]));
		break;
	}
}
