// xsnet/dns/resolver used directly with xsnet's extensions (the callback form, cancel(), retryGaps, servers with
// ports), and xsnet/dns/wire, for tests/dns-resolver.test.js (Moddable's form: tests/apps/dns-moddable.ts).
// args: mode, servers (comma separated), retry gaps in ms (comma separated), names...
import Resolver from "xsnet/dns/resolver";
import type { DNSError, ResolveOptions } from "xsnet/dns/resolver";
import { encodeQuery } from "xsnet/dns/wire";
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

	// Every address of each answer, in order (the extension callback's fourth argument).
	case "all": {
		const r = new Resolver({ servers: servers.split(","), retryGaps });
		for (const name of names) {
			r.resolve({ host: name }, (error, address, _host, addresses) => {
				if (error) log(`${name} error ${(error as DNSError).code}`);
				else log(`${name} ${addresses!.join(",")} first=${address === addresses![0]}`);
			});
		}
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

	// cancel() by callback or by options object: those never call back, the others still do.
	case "cancel": {
		const r = new Resolver({ servers: servers.split(","), retryGaps });
		const callback = () => log("callback (wrong)");
		const options = { host: names[1], onError: () => log("onError (wrong)") };
		r.resolve({ host: names[0] }, callback);
		r.resolve(options);
		r.resolve({ host: names[2], onError: (host, error) => log(`kept ${host} ${error.code}`) });
		r.cancel(callback);
		r.cancel(options);
		log("cancelled");
		break;
	}

	// Moddable's form with the error extension: onError(host, error).
	case "onerror": {
		const r = new Resolver({ servers: servers.split(","), retryGaps });
		for (const name of names)
			r.resolve({ host: name, onError: (host, error) => log(`${host} ${error.code} ${error.message}`) });
		break;
	}

	// The query bytes for each name with id 0x1234, in hex.
	case "wire": {
		for (const name of names) {
			const bytes = new Uint8Array(encodeQuery(name, 0x1234));
			log(Array.from(bytes, (b) => (b < 16 ? "0" : "") + b.toString(16)).join(""));
		}
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
		attempt("onresolved-type", () => r.resolve({ host: "a.test", onResolved: 5 } as unknown as ResolveOptions));
		attempt("onerror-type", () => r.resolve({ host: "a.test", onError: "x" } as unknown as ResolveOptions));
		attempt("callback-type", () => (r.resolve as Function)({ host: "a.test" }, 5));
		attempt("both-forms", () => (r.resolve as Function)({ host: "a.test", onResolved() {} }, () => {}));
		attempt("empty-host", () => r.resolve({ host: "", onResolved() {} }));
		r.close();
		attempt("after-close", () => r.resolve({ host: "10.0.0.1" }, () => {}));
		r.close();
		break;
	}

	default:
		log(`unknown mode ${mode}`);
}
