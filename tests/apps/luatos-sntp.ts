// luatos/sntp scenarios for tests/luatos-sntp.test.js: args[0] = scenario, then server addresses (the test's NTP
// servers on loopback port 123). Prints "event ..." lines with the time since start and ntptm() as JSON with the
// host's Date.now() beside it, for the test to compare with its own clock.
import sys from "luatos/sys";
import { sntp, ntptm } from "luatos/sntp";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const show = (v: unknown) => JSON.stringify(v, (_k, x) => (x === undefined ? "undef" : x));
const start = Date.now();
const servers = args.slice(1);

/** The sync's end: ["NTP_UPDATE", 0] or ["NTP_ERROR"], from the subscribers the seed's example uses. */
function ended(): Promise<unknown[]> {
	return new Promise((resolve) => {
		const done = (topic: string) => (...rest: unknown[]) => {
			sys.unsubscribe("NTP_UPDATE", onUpdate);
			sys.unsubscribe("NTP_ERROR", onError);
			resolve([topic, ...rest]);
		};
		const onUpdate = done("NTP_UPDATE"), onError = done("NTP_ERROR");
		sys.subscribe("NTP_UPDATE", onUpdate);
		sys.subscribe("NTP_ERROR", onError);
	});
}

/** Wait for the sync's end; print its topic, arguments and when it came, then ntptm(). */
async function result(label: string): Promise<void> {
	const topic = await ended();
	const tm = ntptm();
	log(`event ${label} ${show(topic)} ${Date.now() - start}`);
	log(`tm ${label} ${show(tm)} ${Date.now()}`);
}

const attempt = (label: string, fn: () => unknown) => {
	try {
		log(`${label} ok ${show(fn())}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).name}: ${(e as Error).message}`);
	}
};

sys.taskInit(async () => {
	switch (args[0]) {
		// One sync with the servers given; ntptm() before and after.
		case "once": {
			log(`before ${show(ntptm())}`);
			sntp(servers);
			await result("1");
			break;
		}

		// Two syncs: the second without arguments uses the servers set before; a call while a sync runs is ignored.
		case "twice": {
			sntp(servers);
			sntp(servers);
			await result("1");
			sntp();
			await result("2");
			break;
		}

		// A string replaces only slot 1; the other slots keep the earlier list.
		case "string": {
			sntp(servers.slice(0, 3));
			await result("1");
			sntp(servers[3]);
			await result("2");
			break;
		}

		// The adapter argument: LWIP_STA (2) works, any other adapter is not ready.
		case "adapter": {
			sntp(servers, 3);
			await result("ap");
			sntp(servers, 2);
			await result("sta");
			break;
		}

		case "bad": {
			attempt("servers-number", () => sntp(123 as any));
			attempt("servers-entry", () => sntp(["127.0.0.1", 5 as any]));
			attempt("adapter", () => sntp(undefined, "2.0" as any));
			attempt("too-long", () => sntp("a".repeat(256)));
			log(`tm ${show(ntptm().vaild)} ${ntptm().ssec}`);
			break;
		}

		default:
			throw new Error(`unknown scenario ${args[0]}`);
	}
});
