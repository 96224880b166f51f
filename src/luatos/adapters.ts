// LuatOS's network adapters ("网卡适配器"), as xsnet's hosts have them: one station interface (the simulator's
// host network; a board's Wi-Fi station), registered and up. The other indices exist as constants and report not
// ready; socket.create on them gives nil, as on a LuatOS build without that adapter.
import { interfaceInfo, STATION_INTERFACE } from "xsnet/core/netif";

/** Adapter indices, with the seed's numbering (luat_lib_socket.c, 2024). */
export const LWIP_GP = 1, LWIP_STA = 2, LWIP_AP = 3, LWIP_ETH = 4, ETH0 = 5, USB = 6;
/** Indices are 0 .. ADAPTER_COUNT - 1 (LuatOS's NW_ADAPTER_QTY); 0 is no adapter. */
export const ADAPTER_COUNT = 7;

// The default adapter (socket.dft); a number, so it stays writable on a board (the XS linker aliases `let`s in RAM).
let defaultAdapter = LWIP_STA;

/** True when `index` is an adapter this host has (socket.create on it succeeds). */
export function isRegistered(index: number): boolean {
	return index === LWIP_STA;
}

/** True when adapter `index` is up (LuatOS's network_check_ready). The station is taken as up. */
export function isReady(index: number): boolean {
	return index === LWIP_STA;
}

/** The default adapter index. */
export function getDefault(): number {
	return defaultAdapter;
}

/** Make `index` the default adapter (LuatOS accepts any index below NW_ADAPTER_QTY, registered or not). */
export function setDefault(index: number): void {
	defaultAdapter = index;
}

/** The adapter registered last (LuatOS's network_get_last_register_adapter_real): the station. */
export function lastRegistered(): number {
	return LWIP_STA;
}

/**
 * `[ip, netmask, gateway]` of adapter `index` ("0.0.0.0" for an unset one, as lwIP's ipaddr_ntoa prints it), or
 * undefined when the adapter does not exist here.
 */
export function addresses(index: number): [string, string, string] | undefined {
	if (!isRegistered(index)) return undefined;
	const info = interfaceInfo(STATION_INTERFACE);
	if (!info) return undefined;
	return [info.ip ?? "0.0.0.0", info.netmask ?? "0.0.0.0", info.gateway ?? "0.0.0.0"];
}
