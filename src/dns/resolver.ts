// DNS over UDP, shaped like ECMA-419 2nd edition's "embedded:network/dns/resolver/udp":
//   const r = new Resolver({servers: ["127.0.0.53", "10.0.0.1:5353"]});
//   r.resolve({host: "example.com"}, (error, address, host) => { ... });
//   r.close();
// A-record queries only (IPv4). The wire format (RFC 1035) is encoded and decoded here, no other module needed.
//
// Behaviour, following lwIP 2.x's dns.c where a choice was needed:
// - each server gets up to DNS_RETRY_GAPS_MS.length tries with those gaps (1, 1, 2, 3 s), then the next server;
// - a reply counts only if it comes from the queried server's address and port, carries the query's id, has
//   QR set and asks our question;
// - NXDOMAIN ends the lookup at once (error code "ENOTFOUND"); a reply without an A record for the name after
//   following the CNAME chain in the same answer ends it too ("ENODATA"); SERVFAIL, REFUSED and other error
//   codes move on to the next server ("ESERVFAIL" when none is left); silence on every server gives "ETIMEOUT";
// - an IP literal resolves to itself, asynchronously;
// - the UDP socket is opened for the first query and closed as soon as no query is pending, and every timer is
//   cleared on completion: a finished resolver holds no host resource (the simulator exits when nothing is
//   pending).
import UDP from "embedded:io/socket/udp";
import Timer from "timer";
import { DNS_RETRY_GAPS_MS, DNS_NAME_MAX, DNS_LABEL_MAX, DNS_PORT, DNS_CNAME_HOPS_MAX } from "xsnet/core/limits";
import { parseIPv4, parseIPv4Endpoint } from "xsnet/core/ip";

/** Completion callback: `error` is null on success, then `address` is "a.b.c.d" and `host` the requested name. */
export type ResolveCallback = (error: Error | null, address?: string, host?: string) => void;

/** Error given to the completion callback; `code` says why. */
export class DNSError extends Error {
	/** "ENOTFOUND" (NXDOMAIN), "ENODATA" (no A record), "ETIMEOUT" (no answer), "ESERVFAIL" (servers failed). */
	code: string;
	/** The host name that failed. */
	host: string;
	constructor(code: string, host: string) {
		super(`DNS ${code === "ENOTFOUND" ? "name not found" : code === "ENODATA" ? "no IPv4 address" :
			code === "ETIMEOUT" ? "timeout" : "server failure"} for ${host}`);
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

/** Options of `new Resolver(options)`. */
export interface ResolverOptions {
	/** UDP socket constructor options; `io` is the UDP class (default: embedded:io/socket/udp). */
	socket?: { io?: unknown; [option: string]: unknown };
	/** One or more servers, "a.b.c.d" or "a.b.c.d:port" (default port 53), tried in order. */
	servers: string[];
	/**
	 * Extension (not in ECMA-419): gaps between tries to one server, in ms; its length is the number of tries per
	 * server. Default DNS_RETRY_GAPS_MS (lwIP's 1, 1, 2, 3 s). Tests use a short schedule.
	 */
	retryGaps?: readonly number[];
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
	callback: ResolveCallback;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const CLASS_IN = 1;

export default class Resolver {
	#servers: { address: string; port: number }[];
	#io: HostUDPConstructor;
	#socketOptions: Record<string, unknown>;
	#gaps: readonly number[];
	#socket: HostUDP | undefined;
	#requests: Request[] = [];

	/**
	 * @param options.servers DNS servers, "a.b.c.d" or "a.b.c.d:port"; at least one.
	 * @param options.socket  UDP constructor options, `io` = the UDP class.
	 * @throws TypeError when `servers` is empty or holds something that is not an IPv4 address[:port].
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
	 * Start resolving `options.host` to an IPv4 address; `callback(error, address, host)` runs exactly once,
	 * always asynchronously (unless close() comes first: then never). Several lookups may be pending at once.
	 * @throws TypeError when host is not a string, is empty, longer than DNS_NAME_MAX bytes or has an empty or
	 *   over-long label; or when callback is not a function.
	 */
	resolve(options: { host: string }, callback: ResolveCallback): void {
		const host = options?.host;
		if (typeof callback !== "function") throw new TypeError("callback required");
		if (typeof host !== "string") throw new TypeError("host required");
		const request: Request = {
			host, name: "", id: 0, server: 0, tries: 0, failure: "ETIMEOUT", timer: undefined, query: undefined, callback,
		};
		const literal = parseIPv4(host);
		if (literal !== undefined) {
			this.#requests.push(request);
			request.timer = Timer.set(() => {
				request.timer = undefined;
				this.#finish(request, null, literal);
			}, 0);
			return;
		}
		let name = host.toLowerCase();
		if (name.endsWith(".")) name = name.slice(0, -1);
		request.query = encodeQuery(name);   // throws on a bad name
		request.name = name;
		do request.id = (Math.random() * 65536) & 0xFFFF;
		while (this.#requests.some((r) => r.id === request.id));
		new DataView(request.query).setUint16(0, request.id);
		this.#requests.push(request);
		this.#send(request);
	}

	/**
	 * Cancel the pending lookup(s) started with `callback` (an xsnet extension: a socket closed while its name is
	 * being resolved must not keep the lookup, its UDP socket and timers alive). Their callbacks never run.
	 */
	cancel(callback: ResolveCallback): void {
		for (let i = this.#requests.length - 1; i >= 0; i--) {
			const r = this.#requests[i];
			if (r.callback !== callback) continue;
			if (r.timer !== undefined) Timer.clear(r.timer);
			this.#requests.splice(i, 1);
		}
		if (!this.#requests.some((r) => r.query !== undefined)) this.#closeSocket();
	}

	/** Cancel every pending lookup (their callbacks never run), close the socket, clear the timers. */
	close(): void {
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

	#finish(request: Request, error: Error | null, address?: string): void {
		const i = this.#requests.indexOf(request);
		if (i < 0) return;
		this.#requests.splice(i, 1);
		if (request.timer !== undefined) Timer.clear(request.timer);
		request.timer = undefined;
		if (!this.#requests.some((r) => r.query !== undefined)) this.#closeSocket();
		if (error) request.callback(error, undefined, request.host);
		else request.callback(null, address, request.host);
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
		if (bytes.length < 12) return;
		const id = (bytes[0] << 8) | bytes[1];
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
		if (answer.kind === "address") this.#finish(request, null, answer.address);
		else if (answer.kind === "nxdomain") this.#finish(request, new DNSError("ENOTFOUND", request.host));
		else if (answer.kind === "nodata") this.#finish(request, new DNSError("ENODATA", request.host));
		else {
			request.failure = "ESERVFAIL";
			this.#nextServer(request);
		}
	}
}

// ---- wire format (RFC 1035) ----

/** A standard recursive query for the A record of `name`; id 0 (set by the caller). Throws on a bad name. */
export function encodeQuery(name: string): ArrayBuffer {
	const labels = name.split(".");
	const encoded: Uint8Array[] = [];
	let length = 0;
	for (const label of labels) {
		const bytes = new Uint8Array(ArrayBuffer.fromString(label));
		if (!bytes.length || bytes.length > DNS_LABEL_MAX) throw new TypeError("invalid host name");
		encoded.push(bytes);
		length += 1 + bytes.length;
	}
	if (length - 1 > DNS_NAME_MAX) throw new TypeError("invalid host name");
	const out = new Uint8Array(12 + length + 1 + 4);
	out[2] = 0x01;       // RD
	out[5] = 1;          // QDCOUNT
	let o = 12;
	for (const bytes of encoded) {
		out[o++] = bytes.length;
		out.set(bytes, o);
		o += bytes.length;
	}
	out[o++] = 0;
	out[o + 1] = TYPE_A;
	out[o + 3] = CLASS_IN;
	return out.buffer;
}

type ParsedAnswer =
	| { kind: "address"; address: string }
	| { kind: "nxdomain" | "nodata" | "servfail" | "ignore" };

/** Read a (possibly compressed) name at `offset`: returns [lower-case name, offset after it]. */
function readName(bytes: Uint8Array, offset: number): [string, number] {
	const labels: string[] = [];
	let end = -1;
	let jumps = 0;
	let total = 0;
	for (;;) {
		if (offset >= bytes.length) throw new Error("truncated");
		const len = bytes[offset];
		if (len === 0) {
			offset++;
			break;
		}
		if ((len & 0xC0) === 0xC0) {
			if (offset + 1 >= bytes.length || ++jumps > 32) throw new Error("bad pointer");
			if (end < 0) end = offset + 2;
			offset = ((len & 0x3F) << 8) | bytes[offset + 1];
			continue;
		}
		if (len & 0xC0) throw new Error("bad label");
		if (offset + 1 + len > bytes.length) throw new Error("truncated");
		total += len + 1;
		if (total > DNS_NAME_MAX + 1) throw new Error("name too long");
		labels.push(String.fromArrayBuffer(bytes.slice(offset + 1, offset + 1 + len).buffer).toLowerCase());
		offset += 1 + len;
	}
	return [labels.join("."), end < 0 ? offset : end];
}

/** Decide what a response to the A query for `name` says. Throws when malformed. */
export function parseResponse(bytes: Uint8Array, name: string): ParsedAnswer {
	const flags = (bytes[2] << 8) | bytes[3];
	if (!(flags & 0x8000)) return { kind: "ignore" };            // not a response
	if ((flags >> 11) & 0xF) return { kind: "ignore" };          // not a standard query
	const qdcount = (bytes[4] << 8) | bytes[5];
	const ancount = (bytes[6] << 8) | bytes[7];
	let offset = 12;
	let asked = qdcount === 0;
	for (let i = 0; i < qdcount; i++) {
		const [qname, next] = readName(bytes, offset);
		if (next + 4 > bytes.length) throw new Error("truncated");
		const qtype = (bytes[next] << 8) | bytes[next + 1];
		const qclass = (bytes[next + 2] << 8) | bytes[next + 3];
		if (qname === name && qtype === TYPE_A && qclass === CLASS_IN) asked = true;
		offset = next + 4;
	}
	if (!asked) return { kind: "ignore" };                      // an answer to another question
	const rcode = flags & 0xF;
	if (rcode === 3) return { kind: "nxdomain" };
	if (rcode !== 0) return { kind: "servfail" };
	const cnames = new Map<string, string>();
	const addresses = new Map<string, string>();
	for (let i = 0; i < ancount; i++) {
		const [rname, next] = readName(bytes, offset);
		if (next + 10 > bytes.length) throw new Error("truncated");
		const type = (bytes[next] << 8) | bytes[next + 1];
		const cls = (bytes[next + 2] << 8) | bytes[next + 3];
		const rdlength = (bytes[next + 8] << 8) | bytes[next + 9];
		const rdata = next + 10;
		if (rdata + rdlength > bytes.length) throw new Error("truncated");
		if (cls === CLASS_IN) {
			if (type === TYPE_A && rdlength === 4 && !addresses.has(rname))
				addresses.set(rname, `${bytes[rdata]}.${bytes[rdata + 1]}.${bytes[rdata + 2]}.${bytes[rdata + 3]}`);
			else if (type === TYPE_CNAME && !cnames.has(rname))
				cnames.set(rname, readName(bytes, rdata)[0]);
		}
		offset = rdata + rdlength;
	}
	let target = name;
	for (let hop = 0; hop <= DNS_CNAME_HOPS_MAX; hop++) {
		const address = addresses.get(target);
		if (address !== undefined) return { kind: "address", address };
		const alias = cnames.get(target);
		if (alias === undefined) break;
		target = alias;
	}
	return { kind: "nodata" };
}
