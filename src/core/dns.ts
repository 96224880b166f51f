// Host name lookup for the sockets: the configured DNS servers (xsnet/native, lwIP's dns_getserver()) and one
// shared resolver (xsnet/dns/resolver) per server configuration. Results are lwIP error numbers, never Errors.
import Resolver, { DNSError } from "xsnet/dns/resolver";
import { getDNSServer, setDNSServer } from "xsnet/native";
import { DNS_SERVERS_MAX, DNS_NAME_MAX } from "xsnet/core/limits";
import { ERR_OK, ERR_DNS_FAILED, ERR_DNS_TIMEOUT } from "xsnet/core/errors";
import { parseIPv4, parseIPv4Endpoint } from "xsnet/core/ip";
import { post } from "xsnet/core/tasks";

/**
 * Lookup result: `error` is ERR_OK (0) with `address` "a.b.c.d", or ERR_DNS_FAILED / ERR_DNS_TIMEOUT. For a name,
 * `addresses` holds every A record of the answer in its order (`addresses[0]` is `address`); undefined for an IP
 * literal and on failure.
 */
export type LookupCallback = (error: number, address: string | undefined, addresses?: readonly string[]) => void;

let resolver: Resolver | undefined;
let resolverKey = "";

/** The configured DNS servers, in order ("a.b.c.d" or "a.b.c.d:port"). */
export function dnsServers(): string[] {
	const servers: string[] = [];
	for (let i = 0; i < DNS_SERVERS_MAX; i++) {
		const s = getDNSServer(i);
		if (s) servers.push(s);
	}
	return servers;
}

/** DNS server `index` (0..DNS_SERVERS_MAX-1) or undefined when unset. */
export function getServer(index: number): string | undefined {
	return getDNSServer(index) || undefined;
}

/** Set DNS server `index`; undefined clears it. The caller validates. */
export function setServer(index: number, address: string | undefined): void {
	setDNSServer(index, address);
}

/** True when `host` can be looked up at all: a non-empty string of at most DNS_NAME_MAX bytes. */
export function isValidHostName(host: unknown): host is string {
	return typeof host === "string" && host.length > 0 && host.length <= DNS_NAME_MAX &&
		ArrayBuffer.fromString(host).byteLength <= DNS_NAME_MAX;
}

/** Returned by lookup(): cancels it (its callback then never runs). */
export type CancelLookup = () => void;

const nothingToCancel: CancelLookup = () => {};

/**
 * Resolve `host` (a name or an IPv4 literal) to its IPv4 addresses. `callback(error, address)` runs exactly once,
 * always asynchronously, unless the returned function cancels the lookup first. Errors: ERR_DNS_FAILED (-6: no
 * such name, no address, no server configured or reachable, malformed name), ERR_DNS_TIMEOUT (-3: no server
 * answered).
 */
export function lookup(host: string, callback: LookupCallback): CancelLookup {
	const literal = parseIPv4(host);
	if (literal !== undefined) {
		post(callback, ERR_OK, literal);
		return nothingToCancel;     // the caller ignores a result it no longer wants
	}
	const servers = dnsServers().filter((s) => parseIPv4Endpoint(s, 53) !== undefined);
	if (!servers.length) {
		post(callback, ERR_DNS_FAILED, undefined);
		return nothingToCancel;
	}
	const key = servers.join(",");
	if (!resolver || key !== resolverKey) {
		// The old instance finishes its pending lookups by itself and then holds nothing.
		resolver = new Resolver({ servers });
		resolverKey = key;
	}
	const r = resolver;
	const done = (error: Error | null, address?: string, _host?: string, addresses?: readonly string[]) => {
		if (error) callback((error as DNSError).code === "ETIMEOUT" ? ERR_DNS_TIMEOUT : ERR_DNS_FAILED, undefined);
		else callback(ERR_OK, address, addresses);
	};
	try {
		r.resolve({ host }, done);
	}
	catch {
		post(callback, ERR_DNS_FAILED, undefined);
		return nothingToCancel;
	}
	return () => r.cancel(done);
}
