// IPv4 address text, the way every layer checks it.

/**
 * Parse a dotted-quad IPv4 address ("192.168.1.10"): four decimal numbers 0..255 of 1..3 digits.
 * Returns the normalised text (leading zeros removed) or undefined when `text` is not one.
 * Stricter than lwIP's ipaddr_aton() (which, like inet_aton, also takes "10.1" or "0x7f.0.0.1"): an octal or
 * hex address in a NodeMCU program is almost always a mistake.
 */
export function parseIPv4(text: unknown): string | undefined {
	if (typeof text !== "string" || text.length > 15 || text.length < 7) return undefined;
	const parts = text.split(".");
	if (parts.length !== 4) return undefined;
	for (let i = 0; i < 4; i++) {
		const p = parts[i];
		if (p.length < 1 || p.length > 3) return undefined;
		for (let j = 0; j < p.length; j++) {
			const c = p.charCodeAt(j);
			if (c < 48 || c > 57) return undefined;
		}
		const n = parseInt(p, 10);
		if (n > 255) return undefined;
		parts[i] = String(n);
	}
	return parts.join(".");
}

/** Parse "a.b.c.d" or "a.b.c.d:port" (port 1..65535, default `defaultPort`). Undefined when malformed. */
export function parseIPv4Endpoint(text: unknown, defaultPort: number): { address: string; port: number } | undefined {
	if (typeof text !== "string") return undefined;
	const colon = text.indexOf(":");
	const address = parseIPv4(colon < 0 ? text : text.slice(0, colon));
	if (address === undefined) return undefined;
	let port = defaultPort;
	if (colon >= 0) {
		const p = text.slice(colon + 1);
		if (!/^[0-9]{1,5}$/.test(p)) return undefined;
		port = parseInt(p, 10);
		if (port < 1 || port > 65535) return undefined;
	}
	return { address, port };
}

/**
 * An IPv4 address and a port in one number, `address * 65536 + port` (below 2^48: exact in a double), so that an
 * object keeps a peer in one property slot rather than two and no address string; undefined when `address` is no
 * dotted quad or `port` no integer 0..65535. endpointAddress() and endpointPort() take it apart.
 */
export function packEndpoint(address: unknown, port: unknown): number | undefined {
	const a = parseIPv4(address);
	if (a === undefined || typeof port !== "number" || !(port >= 0 && port <= 65535) || port % 1) return undefined;
	const parts = a.split(".");
	return (((Number(parts[0]) * 256 + Number(parts[1])) * 256 + Number(parts[2])) * 256 + Number(parts[3])) * 65536 + port;
}

/** The dotted-quad address of a packEndpoint() number. */
export function endpointAddress(packed: number): string {
	const a = Math.floor(packed / 65536);
	return `${Math.floor(a / 16777216)}.${Math.floor(a / 65536) % 256}.${Math.floor(a / 256) % 256}.${a % 256}`;
}

/** The port of a packEndpoint() number. */
export function endpointPort(packed: number): number {
	return packed % 65536;
}
