// The UDP side of a LuatOS ctrl (luatos/ctrl.ts; NA's UDP paths over lwIP's udp pcb): its endpoint, bound at
// connect() to config()'s local port and "connected" to one peer (remote port set: only that peer's datagrams are
// taken) or open to any (remote port 0); tx() as one datagram; rx()/read() one datagram at a time.
import { UdpEndpoint } from "xsnet/core/udp";
import type { Packet } from "xsnet/core/udp";
import { LUATOS_UDP_TX_MAX } from "xsnet/core/limits";
import { log } from "luatos/log";
import type { SocketCtrl } from "luatos/ctrl";

/** A pull-mode endpoint of `ctrl` bound to its local port (0: any), or undefined (logged) when the bind fails. */
export function openEndpoint(ctrl: SocketCtrl): UdpEndpoint | undefined {
	const endpoint = new UdpEndpoint(ctrl);
	endpoint.pullMode();
	try {
		endpoint.open(ctrl.localPort ?? 0, "0.0.0.0");
	}
	catch (e) {
		log("E", "socket", `udp bind to port ${ctrl.localPort ?? 0} failed: ${(e as Error)?.message ?? e}`);
		return undefined;
	}
	return endpoint;
}

/** The next datagram `ctrl` accepts; others before it are dropped (lwIP's udp_input skips a connected pcb). */
export function nextDatagram(ctrl: SocketCtrl, endpoint: UdpEndpoint): Packet | undefined {
	for (;;) {
		const packet = endpoint.peek();
		if (!packet) return undefined;
		if (!ctrl.remotePort || (packet.port === ctrl.remotePort && packet.address === ctrl.remoteAddress))
			return packet;
		const signalled = endpoint.signalled;
		endpoint.take();                    // not for us: dropped without changing the data flag
		endpoint.signalled = signalled;
	}
}

/**
 * tx() on UDP: one datagram to `address`:`port` (undefined / 0: connect()'s peer).
 * @returns false, sending nothing, without a peer, for more than LUATOS_UDP_TX_MAX bytes, or when the host refused
 *   it (logged).
 */
export function sendDatagram(ctrl: SocketCtrl, endpoint: UdpEndpoint, bytes: Uint8Array, address: string | undefined,
	port: number): boolean {
	address ??= ctrl.remoteAddress;
	if (!port) port = ctrl.remotePort ?? 0;
	if (!address || !port || bytes.length > LUATOS_UDP_TX_MAX) return false;
	try {
		endpoint.send(bytes, address, port, undefined);
	}
	catch (e) {
		log("E", "socket", `udp send to ${address}:${port} failed: ${(e as Error)?.message ?? e}`);
		return false;
	}
	return true;
}

/** Take the next datagram `ctrl` accepts, cut to `limit` bytes (the rest is dropped), and its sender; clears the flag. */
export function takeDatagram(ctrl: SocketCtrl, endpoint: UdpEndpoint, limit: number): { bytes: ArrayBuffer; from: Packet | undefined } {
	const packet = nextDatagram(ctrl, endpoint);
	endpoint.take();
	if (!packet) return { bytes: new ArrayBuffer(0), from: undefined };
	return { bytes: limit < packet.byteLength ? packet.slice(0, limit) : packet, from: packet };
}
