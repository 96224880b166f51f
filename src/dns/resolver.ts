// DNS over UDP: the resolver of "embedded:network/dns/resolver/udp", in the shape of Moddable's
// (examples/io/udp/dns, @moddable/typings embedded_network/dns/resolver/udp.d.ts):
//   const r = new Resolver({socket: {io: UDP}, servers: ["127.0.0.53"]});
//   r.resolve({host: "example.com", onResolved(host, address) {...}, onError(host) {...}});
//   r.close();
// and xsnet's callback form, kept as an extension:
//   r.resolve({host: "example.com"}, (error, address, host, addresses) => {...});
// A-record queries only (IPv4). This file is the state machine (requests, tries, timers, the socket); the
// message format is xsnet/dns/wire.
//
// Behaviour, following lwIP 2.x's dns.c where a choice was needed (Moddable's example resolver differs: it
// sends to the servers in turn once a second, always to port 53, and asks mDNS for ".local" names):
// - each server gets up to DNS_RETRY_GAPS_MS.length tries with those gaps (1, 1, 2, 3 s), then the next server;
// - a reply counts only if it comes from the queried server's address and port, carries the query's id, has
//   QR set and asks our question;
// - a reply's A records for the name (after its CNAME chain) are all kept, in answer order: Moddable's form gets
//   the first (as Moddable's resolver), the extension callback all of them (LuatOS's socket.remoteIP needs them);
// - NXDOMAIN ends the lookup at once (error code "ENOTFOUND"); a reply without an A record for the name after
//   following the CNAME chain in the same answer ends it too ("ENODATA"); SERVFAIL, REFUSED and other error
//   codes move on to the next server ("ESERVFAIL" when none is left); silence on every server gives "ETIMEOUT";
//   a server the socket cannot send to is skipped ("EUNREACHABLE" when none is left);
// - an IP literal resolves to itself and "localhost" to 127.0.0.1 (as Moddable's resolver and lwIP's
//   dns_gethostbyname with LWIP_HAVE_LOOPIF), asynchronously;
// - the UDP socket is opened for the first query and closed as soon as no query is pending, and every timer is
//   cleared on completion: a finished resolver holds no host resource (the simulator exits when nothing is
//   pending), so a resolver that is never closed (Moddable's HTTP client never closes its own) costs nothing.
import UDP from "embedded:io/socket/udp";
import Timer from "timer";
import { DNS_RETRY_GAPS_MS, DNS_PORT } from "xsnet/core/limits";
import { parseIPv4, parseIPv4Endpoint } from "xsnet/core/ip";
import { encodeQuery, messageId, parseResponse } from "xsnet/dns/wire";
import type { ParsedAnswer } from "xsnet/dns/wire";

/**
 * Completion callback of the extension form: `error` is null on success, then `address` is "a.b.c.d" and
 * `addresses` every A record of the answer in its order (`addresses[0]` is `address`; `[address]` for an IP
 * literal or "localhost"); `host` is the requested name.
 */
export type ResolveCallback = (error: Error | null, address?: string, host?: string, addresses?: readonly string[]) => void;

/** What `resolve()` takes: the host and, in Moddable's form, its two callbacks (at least one of them). */
export interface ResolveOptions {
	/** A host name, an IPv4 literal or "localhost". */
	host: string;
	/** Moddable's success callback, called with the resolver as `this`: `address` is "a.b.c.d", `host` as given. */
	onResolved?: (this: Resolver, host: string, address: string) => void;
	/** Moddable's failure callback, called with the resolver as `this`. Extension: `error` says why. */
	onError?: (this: Resolver, host: string, error: DNSError) => void;
}

const MESSAGES: Readonly<Record<string, string>> = Object.freeze({
	ENOTFOUND: "name not found", ENODATA: "no IPv4 address", ETIMEOUT: "timeout", ESERVFAIL: "server failure",
	EUNREACHABLE: "no server reachable",
});

/** Error given to the completion callback (and, as an extension, to onError); `code` says why. */
export class DNSError extends Error {
	/**
	 * "ENOTFOUND" (NXDOMAIN), "ENODATA" (no A record), "ETIMEOUT" (no answer), "ESERVFAIL" (servers failed),
	 * "EUNREACHABLE" (the socket could send to no server).
	 */
	code: string;
	/** The host name that failed. */
	host: string;
	constructor(code: string, host: string) {
		super(`DNS ${MESSAGES[code] ?? code} for ${host}`);
		this.code = code;
		this.host = host;
	}
}

interface HostUDP {
	read(): (ArrayBuffer & { address: string; port: number }) | undefined;
	write(buffer: ArrayBuffer | ArrayBufferView, address: string, port: number): void;
	close(): void;
}
type HostUDPConstructor = new (options: object) => HostUDP;

/** Options of `new Resolver(options)`. Other properties (Moddable's HTTP client passes its `io`) are ignored. */
export interface ResolverOptions {
	/**
	 * The UDP socket: `io` is the ECMA-419 UDP class (default: embedded:io/socket/udp); the other properties are
	 * passed to its constructor (e.g. a local `port`).
	 */
	socket?: { io?: unknown; [option: string]: unknown };
	/**
	 * One or more servers, tried in order: "a.b.c.d"; extension: "a.b.c.d:port" (Moddable's resolver always
	 * queries port 53).
	 */
	servers: string[];
	/**
	 * Extension: gaps between tries to one server, in ms; its length is the number of tries per server. Default
	 * DNS_RETRY_GAPS_MS (lwIP's 1, 1, 2, 3 s). Tests use a short schedule.
	 */
	retryGaps?: readonly number[];
	[option: string]: unknown;
}

interface Request {
	host: string;          // as given
	name: string;          // lower case, no trailing dot
	id: number;
	server: number;        // index into servers
	tries: number;         // tries sent to the current server
	failure: string;       // error code if the lookup ends now
	timer: Timer | undefined;
	query: ArrayBuffer | undefined;
	options: object;       // what resolve() got, for cancel()
	callback: ResolveCallback | undefined;
	onResolved: ResolveOptions["onResolved"];
	onError: ResolveOptions["onError"];
}

export default class Resolver {
	#servers: { address: string; port: number }[];
	#io: HostUDPConstructor;
	#socketOptions: Record<string, unknown>;
	#gaps: readonly number[];
	#socket: HostUDP | undefined;
	#requests: Request[] = [];
	#closed = false;

	/**
	 * @param options.servers DNS servers, "a.b.c.d" (extension: "a.b.c.d:port"); at least one.
	 * @param options.socket  `{io: UDP, ...}`: the UDP class and its other constructor options.
	 * @throws TypeError "servers required" (not a non-empty array), "invalid DNS server X", "retryGaps empty".
	 */
	constructor(options: ResolverOptions) {
		const servers = options?.servers;
		if (!Array.isArray(servers) || !servers.length) throw new TypeError("servers required");
		this.#servers = servers.map((s) => {
			const e = parseIPv4Endpoint(s, DNS_PORT);
			if (!e) throw new TypeError("invalid DNS server " + s);
			return e;
		});
		const { io, ...rest } = options.socket ?? {};
		this.#io = (io ?? UDP) as unknown as HostUDPConstructor;
		this.#socketOptions = rest;
		this.#gaps = options.retryGaps ?? DNS_RETRY_GAPS_MS;
		if (!this.#gaps.length) throw new TypeError("retryGaps empty");
	}

	/**
	 * Start resolving `options.host` to an IPv4 address. Returns nothing (as Moddable's). Several lookups may be
	 * pending at once; each calls back exactly once, always asynchronously, unless close() or cancel() comes first.
	 * - Moddable's form, `resolve({host, onResolved, onError})`: `onResolved(host, address)` or `onError(host,
	 *   error)` with the resolver as `this`; either callback may be left out (as Moddable's).
	 * - Extension, `resolve({host}, callback)`: `callback(error, address, host)`.
	 * @throws TypeError "host required" (not a string); "callback required" (neither onResolved, onError nor
	 *   callback); "onResolved must be a function", "onError must be a function", "callback must be a function";
	 *   "give onResolved/onError or a callback, not both"; "invalid host name" (an empty or over-long label, a name
	 *   over DNS_NAME_MAX bytes). Error "resolver closed" after close().
	 */
	resolve(options: ResolveOptions): void;
	resolve(options: { host: string }, callback: ResolveCallback): void;
	resolve(options: ResolveOptions, callback?: ResolveCallback): void {
		if (this.#closed) throw new Error("resolver closed");
		const host = options?.host;
		if (typeof host !== "string") throw new TypeError("host required");
		const { onResolved, onError } = options;
		if (callback !== undefined) {
			if (typeof callback !== "function") throw new TypeError("callback must be a function");
			if (onResolved !== undefined || onError !== undefined)
				throw new TypeError("give onResolved/onError or a callback, not both");
		}
		else {
			if (onResolved === undefined && onError === undefined) throw new TypeError("callback required");
			if (onResolved !== undefined && typeof onResolved !== "function") throw new TypeError("onResolved must be a function");
			if (onError !== undefined && typeof onError !== "function") throw new TypeError("onError must be a function");
		}
		const request: Request = {
			host, name: "", id: 0, server: 0, tries: 0, failure: "ETIMEOUT", timer: undefined, query: undefined,
			options, callback, onResolved, onError,
		};
		const literal = host === "localhost" ? "127.0.0.1" : parseIPv4(host);
		if (literal !== undefined) {
			this.#requests.push(request);
			request.timer = Timer.set(() => {
				request.timer = undefined;
				this.#finish(request, null, [literal]);
			}, 0);
			return;
		}
		let name = host.toLowerCase();
		if (name.endsWith(".")) name = name.slice(0, -1);
		do request.id = (Math.random() * 65536) & 0xFFFF;
		while (this.#requests.some((r) => r.id === request.id && r.query !== undefined));
		request.query = encodeQuery(name, request.id);   // throws on a bad name
		request.name = name;
		this.#requests.push(request);
		this.#send(request);
	}

	/**
	 * Extension: cancel the pending lookup(s) started with `target`, the callback or the options object given to
	 * resolve() (a socket closed while its name is being resolved must not keep the lookup, its UDP socket and
	 * timers alive). Their callbacks never run.
	 */
	cancel(target: ResolveCallback | object): void {
		for (let i = this.#requests.length - 1; i >= 0; i--) {
			const r = this.#requests[i];
			if (r.callback !== target && r.options !== target) continue;
			if (r.timer !== undefined) Timer.clear(r.timer);
			this.#requests.splice(i, 1);
		}
		if (!this.#requests.some((r) => r.query !== undefined)) this.#closeSocket();
	}

	/**
	 * Cancel every pending lookup (no callback runs afterwards), close the socket and clear the timers: nothing of
	 * the resolver stays pending. A closed resolver takes no more lookups (resolve() throws), as Moddable's.
	 */
	close(): void {
		this.#closed = true;
		for (const r of this.#requests) if (r.timer !== undefined) Timer.clear(r.timer);
		this.#requests.length = 0;
		this.#closeSocket();
	}

	#closeSocket(): void {
		const socket = this.#socket;
		this.#socket = undefined;
		if (socket) {
			try {
				socket.close();
			}
			catch {
				// already closed by the host
			}
		}
	}

	#send(request: Request): void {
		const server = this.#servers[request.server];
		request.tries++;
		try {
			if (!this.#socket) {
				const self = this;
				this.#socket = new this.#io({
					...this.#socketOptions,
					format: "buffer",
					onReadable(count: number) {
						self.#readable(this as unknown as HostUDP, count);
					},
				});
			}
			this.#socket.write(request.query!, server.address, server.port);
		}
		catch {
			// cannot reach this server (no route, no socket left): the next one, on a later turn, so that
			// resolve() never calls back from inside itself
			if (request.failure === "ETIMEOUT") request.failure = "EUNREACHABLE";
			request.timer = Timer.set(() => {
				request.timer = undefined;
				this.#nextServer(request);
			}, 0);
			return;
		}
		request.timer = Timer.set(() => {
			request.timer = undefined;
			if (request.tries < this.#gaps.length) this.#send(request);
			else this.#nextServer(request);
		}, this.#gaps[request.tries - 1]);
	}

	#nextServer(request: Request): void {
		if (request.timer !== undefined) {
			Timer.clear(request.timer);
			request.timer = undefined;
		}
		request.server++;
		request.tries = 0;
		if (request.server < this.#servers.length) this.#send(request);
		else this.#finish(request, new DNSError(request.failure, request.host));
	}

	/** End `request`: forget it (closing the socket when it was the last query), then call back. */
	#finish(request: Request, error: DNSError | null, addresses?: readonly string[]): void {
		const i = this.#requests.indexOf(request);
		if (i < 0) return;
		this.#requests.splice(i, 1);
		if (request.timer !== undefined) Timer.clear(request.timer);
		request.timer = undefined;
		if (!this.#requests.some((r) => r.query !== undefined)) this.#closeSocket();
		const { callback, host } = request;
		if (callback) {
			if (error) callback(error, undefined, host);
			else callback(null, addresses![0], host, addresses);
		}
		else if (error) request.onError?.call(this, host, error);
		else request.onResolved?.call(this, host, addresses![0]);
	}

	#readable(socket: HostUDP, count: number): void {
		while (count-- > 0 && socket === this.#socket) {
			const packet = socket.read();
			if (!packet) break;
			this.#receive(packet);
		}
	}

	#receive(packet: ArrayBuffer & { address: string; port: number }): void {
		const bytes = new Uint8Array(packet);
		const id = messageId(bytes);
		if (id === undefined) return;
		const request = this.#requests.find((r) => r.id === id && r.query !== undefined);
		if (!request) return;
		const server = this.#servers[request.server];
		if (packet.address !== server.address || packet.port !== server.port) return;
		let answer: ParsedAnswer;
		try {
			answer = parseResponse(bytes, request.name);
		}
		catch {
			return;      // malformed: ignore, as if lost
		}
		if (answer.kind === "ignore") return;
		if (answer.kind === "address") this.#finish(request, null, answer.addresses);
		else if (answer.kind === "nxdomain") this.#finish(request, new DNSError("ENOTFOUND", request.host));
		else if (answer.kind === "nodata") this.#finish(request, new DNSError("ENODATA", request.host));
		else {
			request.failure = "ESERVFAIL";
			this.#nextServer(request);
		}
	}
}
