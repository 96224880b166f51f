// net.ping scenarios for tests/net-ping.test.js.
//   run SPEC...   each SPEC "label:host:count:delayMs" starts net.ping(host, ...) after delayMs; count "-" uses the
//                 form ping(host, onReply, onDone), "u" passes undefined, "s2" the string "2", "n" no onDone;
//                 every callback prints one line: "<label> reply <bytes> <ip> <seqno> <rtt> [<reason>]",
//                 "<label> done <ip> <total> <timeouts> <bytes> <ms>"; "SYNC" if a callback ran inside ping()
//   errors        argument errors, one line each
//   throws        callbacks that throw do not stop the ping, nor another one
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const mode = args[0];
let inside = false;

function start(spec: string) {
	const [label, host, count, delay] = spec.split(":");
	setTimeout(() => {
		const onReply = (b: number, ip?: string, sq?: number, tm?: number, reason?: string) => {
			if (inside) log("SYNC");
			log(`${label} reply ${b} ${ip} ${sq} ${tm}${reason === undefined ? "" : " " + reason}`);
		};
		const onDone = (ip: string, tc: number, toc: number, tb: number, tt: number) => {
			if (inside) log("SYNC");
			log(`${label} done ${ip} ${tc} ${toc} ${tb} ${tt}`);
		};
		inside = true;
		let r: unknown;
		if (count === "-") r = net.ping(host, onReply, onDone);
		else if (count === "n") r = net.ping(host, onReply);
		else if (count === "u") r = net.ping(host, undefined, onReply, onDone);
		else if (count === "s2") r = net.ping(host, "2" as unknown as number, onReply, onDone);
		else r = net.ping(host, Number(count), onReply, onDone);
		inside = false;
		if (r !== undefined) log(`${label} returned ${r}`);
	}, Number(delay) || 0);
}

function attempt(label: string, fn: () => unknown) {
	try {
		fn();
		log(`${label} ok`);
	}
	catch (e) {
		log(`${label} ${(e as Error).message}`);
	}
}

const any = net.ping as unknown as (...a: unknown[]) => void;
const cb = () => log("callback called");

if (mode === "run") {
	for (const spec of args.slice(1)) start(spec);
}
else if (mode === "errors") {
	attempt("no-args", () => any());
	attempt("host-number", () => any(5, cb));
	attempt("host-empty", () => any("", cb));
	attempt("host-long", () => any("a".repeat(256), cb));
	attempt("no-callback", () => any("127.0.0.1"));
	attempt("count-no-callback", () => any("127.0.0.1", 2));
	attempt("callback-string", () => any("127.0.0.1", 2, "x"));
	attempt("count-object", () => any("127.0.0.1", {}, cb));
	attempt("count-negative", () => any("127.0.0.1", -1, cb));
	attempt("count-fraction", () => any("127.0.0.1", 1.5, cb));
	attempt("count-text", () => any("127.0.0.1", "x", cb));
	attempt("sent-number", () => any("127.0.0.1", cb, 5));
	attempt("sent-object", () => any("127.0.0.1", 2, cb, {}));
}
else if (mode === "throws") {
	net.ping("127.0.0.1", 2, (b, ip, sq) => {
		log(`a reply ${b} ${ip} ${sq}`);
		throw new Error("boom in reply");
	}, (ip, tc) => {
		log(`a done ${ip} ${tc}`);
		throw new Error("boom in done");
	});
	net.ping("127.0.0.1", 2, (b, ip, sq) => log(`b reply ${b} ${ip} ${sq}`), (ip, tc, toc) => log(`b done ${ip} ${tc} ${toc}`));
}
