// xsnet/dns/resolver used directly (ECMA-419 shape), for tests/net-dns.test.js.
// args: mode, servers (comma separated), retry gaps in ms (comma separated), names...
import Resolver from "xsnet/dns/resolver";
import type { DNSError } from "xsnet/dns/resolver";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const [mode, servers, gaps, ...names] = args;
const retryGaps = gaps ? gaps.split(",").map(Number) : undefined;

switch (mode) {
	// Resolve every name at once; report each result. Exits by itself: nothing may stay pending.
	case "lookup": {
		const r = new Resolver({ servers: servers.split(","), retryGaps });
		let sync = true;
		for (const name of names) {
			r.resolve({ host: name }, (error, address, host) => {
				if (error) log(`${name} error ${(error as DNSError).code} ${host} sync ${sync}`);
				else log(`${name} address ${address} ${host} sync ${sync}`);
			});
		}
		sync = false;
		break;
	}

	// close() right after resolve(): no callback, no socket or timer left behind.
	case "close": {
		const r = new Resolver({ servers: servers.split(","), retryGaps });
		for (const name of names) r.resolve({ host: name }, () => log(`callback ${name} (wrong)`));
		r.close();
		log("closed");
		break;
	}

	// Constructor and resolve() argument checks.
	case "errors": {
		const attempt = (label: string, fn: () => void) => {
			try {
				fn();
				log(`${label} ok`);
			}
			catch (e) {
				log(`${label} ${(e as Error).name}: ${(e as Error).message}`);
			}
		};
		attempt("no-servers", () => new Resolver({ servers: [] }));
		attempt("bad-server", () => new Resolver({ servers: ["dns.example"] }));
		attempt("bad-port", () => new Resolver({ servers: ["127.0.0.1:99999"] }));
		const r = new Resolver({ servers: ["127.0.0.1:9"] });
		attempt("no-callback", () => (r.resolve as Function)({ host: "a.test" }));
		attempt("no-host", () => r.resolve({} as { host: string }, () => {}));
		attempt("empty-label", () => r.resolve({ host: "a..test" }, () => {}));
		attempt("long-label", () => r.resolve({ host: "a".repeat(64) + ".test" }, () => {}));
		attempt("long-name", () => r.resolve({ host: ("a".repeat(60) + ".").repeat(5) + "test" }, () => {}));
		r.close();
		break;
	}

	default:
		log(`unknown mode ${mode}`);
}
