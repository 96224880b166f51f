// Network interfaces, multicast membership, the IP time-to-live and the local end of a socket: xsnet/native's
// functions (lwIP's netif, igmp, pcb->ttl and pcb->local_ip/local_port on a board) in the shapes every personality
// uses. Personalities check arguments and word errors their own way; here addresses are already parsed dotted quads.
import {
	ifinfo as hostInterfaceInfo, ttl as hostTTL, local as hostLocal, multicastJoin as hostJoin,
	multicastLeave as hostLeave,
} from "xsnet/native";
import { TTL_MIN, TTL_MAX } from "xsnet/core/limits";
export { TTL_MIN, TTL_MAX };

/** Interface index of the station (Wi-Fi client) in interfaceInfo(); the simulator's host interface. */
export const STATION_INTERFACE = 0;
/** Interface index of the access point in interfaceInfo() (the simulator has none). */
export const ACCESS_POINT_INTERFACE = 1;

/** Address configuration of an interface. */
export interface InterfaceInfo {
	/** "a.b.c.d"; each of the three is absent while unset (0.0.0.0), e.g. gateway on a network without one */
	ip?: string;
	netmask?: string;
	gateway?: string;
	/** the hardware (MAC) address as six lower-case hex pairs: "5c:cf:7f:01:02:03" */
	hwaddr: string;
	/** what the DHCP client learned, when the interface was configured by DHCP (a board; absent in the simulator) */
	dhcp?: { server_ip?: string; client_ip?: string; ntp_server?: string };
}

/** Six bytes as "aa:bb:cc:dd:ee:ff" (lower case, as NodeMCU's wifi.sta.getmac() prints a MAC address). */
export function formatMAC(bytes: ArrayBuffer): string {
	const b = new Uint8Array(bytes);
	let text = "";
	for (let i = 0; i < b.length; i++) text += (i ? ":" : "") + (b[i] < 16 ? "0" : "") + b[i].toString(16);
	return text;
}

function isSet(address: string | undefined): address is string {
	return !!address && address !== "0.0.0.0";
}

/**
 * The configuration of interface `index` (STATION_INTERFACE or ACCESS_POINT_INTERFACE), or undefined for any
 * other index and when the host has no such interface.
 */
export function interfaceInfo(index: number): InterfaceInfo | undefined {
	if (index !== STATION_INTERFACE && index !== ACCESS_POINT_INTERFACE) return undefined;
	const i = hostInterfaceInfo(index);
	if (!i) return undefined;
	const info = {} as InterfaceInfo;
	if (isSet(i.ip)) info.ip = i.ip;
	if (isSet(i.netmask)) info.netmask = i.netmask;
	if (isSet(i.gateway)) info.gateway = i.gateway;
	info.hwaddr = formatMAC(i.hwaddr);
	if (i.dhcp) info.dhcp = { ...i.dhcp };
	return info;
}

/** True for an IPv4 multicast address (224.0.0.0/4); `address` is a dotted quad. */
export function isMulticast(address: string): boolean {
	const first = parseInt(address, 10);
	return first >= 224 && first <= 239;
}

/**
 * Join multicast `group` on the interface whose address is `ifAddress` ("0.0.0.0": every interface). The
 * membership is the host's, for every UDP socket (lwIP's igmp_joingroup()). Joining twice is harmless.
 * @throws the host's error (no interface with that address, no memory, ...).
 */
export function joinGroup(ifAddress: string, group: string): void {
	hostJoin(ifAddress, group);
}

/**
 * Leave multicast `group` on `ifAddress` (lwIP's igmp_leavegroup()).
 * Returns false when the host refused (typically: the group was not joined on that interface).
 */
export function leaveGroup(ifAddress: string, group: string): boolean {
	try {
		hostLeave(ifAddress, group);
		return true;
	}
	catch {
		return false;
	}
}


/**
 * The IP time-to-live of the host socket of a TCP connection or UDP endpoint (their `hostSocket`), after setting
 * it to `value` (TTL_MIN..TTL_MAX, checked by the caller) when given. For UDP it is also the multicast TTL.
 * @throws the host's error: "socket is not open/bound yet", or the platform cannot reach the socket's TTL.
 */
export function socketTTL(hostSocket: object, value?: number): number {
	return hostTTL(hostSocket as Parameters<typeof hostTTL>[0], value);
}

/**
 * The local `[port, ip]` of the host socket of a TCP connection (`udp` false) or a UDP endpoint (`udp` true): their
 * `hostSocket`, never another object (a board reads the pcb in the host record of its lwIP classes, of the type
 * `udp` names). `[undefined, undefined]` when the host cannot tell (closed, not bound yet, no such platform
 * function). Source: lwIP's pcb->local_port and pcb->local_ip on a board, getsockname() in the simulator.
 */
export function socketLocal(hostSocket: object, udp: boolean): [number | undefined, string | undefined] {
	const end = hostLocal(hostSocket as Parameters<typeof hostLocal>[0], udp);
	return end ? [end[0], end[1]] : [undefined, undefined];
}
