// LuatOS socket's adapter-level functions (luat_lib_socket.c: the network interfaces, not a ctrl): which adapters
// exist and are up, the default adapter, their addresses and DNS servers. Part of the `socket` module (socket.ts
// re-exports them); docs/luatos-socket.md describes each.
import { setServer } from "xsnet/core/dns";
import { parseIPv4Endpoint } from "xsnet/core/ip";
import { DNS_PORT, DNS_SERVERS_MAX } from "xsnet/core/limits";
import { log } from "luatos/log";
import { ADAPTER_COUNT, isRegistered, isReady, getDefault, setDefault, lastRegistered, addresses } from "luatos/adapters";
import { isNil, optInteger, checkInteger, checkHost } from "luatos/args";

/** An adapter index argument (nil -> the default adapter). */
export function adapterOf(fn: string, value: unknown): number {
	return optInteger(fn, "adapter", value, getDefault());
}

/**
 * Set DNS server `index` (1-based, 1..2) of adapter `adapter` (nil = the default) to `ip` (a dotted quad, or a
 * big-endian integer; extension: "a.b.c.d:port").
 * @returns true; false for an adapter that does not exist here, an index outside 1..2 or an unusable address.
 * @throws TypeError naming the argument.
 */
export function setDNS(adapter: number | undefined | null, index: number | undefined | null, ip: string | number): boolean {
	const a = adapterOf("socket.setDNS", adapter);
	const i = optInteger("socket.setDNS", "index", index, 1);
	const text = checkHost("socket.setDNS", "ip", ip);
	if (a < 0 || a >= ADAPTER_COUNT || !isRegistered(a)) {
		log("W", "socket", `setDNS: adapter ${a} does not exist`);
		return false;
	}
	const e = parseIPv4Endpoint(text, DNS_PORT);
	if (i < 1 || i > DNS_SERVERS_MAX || !e || e.address === "0.0.0.0" || e.address === "255.255.255.255") return false;
	setServer(i - 1, e.port === DNS_PORT ? e.address : `${e.address}:${e.port}`);
	return true;
}

/** `[ip, netmask, gateway]` of `adapter` (nil = the default); `[]` when it does not exist here. */
export function localIP(adapter?: number | null): [string, string, string] | [] {
	const a = adapterOf("socket.localIP", adapter);
	return addresses(a) ?? [];
}

/**
 * `[ready, index]` of adapter `index`; without one, the first ready adapter (`[true, 2]` here), else
 * `[false, last index]`.
 * @throws TypeError (index not an integer).
 */
export function adapter(index?: number | null): [boolean, number] {
	const i = optInteger("socket.adapter", "index", index, -1);
	if (i > 0 && i < ADAPTER_COUNT) return [isReady(i), i];
	for (let j = 1; j < ADAPTER_COUNT; j++) if (isReady(j)) return [true, j];
	return [false, ADAPTER_COUNT - 1];
}

/**
 * `[default adapter, adapter registered last]`; `dft(id)` first makes `id` the default (any index below 7).
 * @throws TypeError (id not an integer).
 */
export function dft(id?: number | null): [number, number] {
	if (!isNil(id)) {
		const i = checkInteger("socket.dft", "id", id);
		if (i >= 0 && i < ADAPTER_COUNT) setDefault(i);
	}
	return [getDefault(), lastRegistered()];
}
