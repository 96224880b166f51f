// Parser fuzz targets for tests/fuzz-parsers.test.js. args[0] = "dns" or "sntp", args[1] = how many:
// - dns: net.dns.resolve("<tier><i>.fuzz.test") for i = 0..n-1, one after the other (the test's DNS server sends
//   malformed responses before each real one); prints "r <name> <ip | fail>" for each, then "done".
// - sntp: n syncs with the NTP server args[2] (on port 123), one after the other; prints "s <i> <topic>" for each,
//   then "tm <ntptm() as JSON> <Date.now()>" and "done".
import net from "nodemcu/net";
import sys from "luatos/sys";
import { sntp, ntptm } from "luatos/sntp";
import args from "xsnet-sim/args";

const count = Number(args[1]);
const log = (line: string) => trace(line + "\n");

if (args[0] === "dns") {
	let i = 0;
	const next = () => {
		if (i === count) { log("done"); return; }
		const name = `${i % 2 ? "m" : "s"}${i}.fuzz.test`;
		i++;
		net.dns.resolve(name, (_s, ip) => {
			log(`r ${name} ${ip ?? "fail"}`);
			next();
		});
	};
	next();
}
else {
	let i = 0;
	const next = () => {
		if (i === count) {
			log(`tm ${JSON.stringify(ntptm())} ${Date.now()}`);
			log("done");
			return;
		}
		i++;
		sntp(args[2]);
	};
	const ended = (topic: string) => () => { log(`s ${i} ${topic}`); next(); };
	sys.subscribe("NTP_UPDATE", ended("NTP_UPDATE"));
	sys.subscribe("NTP_ERROR", ended("NTP_ERROR"));
	next();
}
