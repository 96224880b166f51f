// xsnet/native for the simulator: what ECMA-419 lacks (native.c, icmp.c). Devices: modules/native.
/** DNS server `index` (0..1) as "a.b.c.d[:port]", or undefined. */
export function getDNSServer(index) @ "xs_native_get_dns_server";
/** Set DNS server `index` (0..1); undefined clears it. */
export function setDNSServer(index, address) @ "xs_native_set_dns_server";
/** Interface `index` (0 station, 1 access point): {ip, netmask, gateway?, hwaddr: ArrayBuffer(6), name}, or undefined. */
export function ifinfo(index) @ "xs_native_ifinfo";
/** IP time-to-live of an ECMA-419 TCP or UDP socket; sets it first when `value` (0..255) is given. */
export function ttl(socket, value) @ "xs_native_ttl";
/** Join an IPv4 multicast group on the interface with address `ifAddress` ("0.0.0.0": any), for every UDP socket. */
export function multicastJoin(ifAddress, group) @ "xs_native_multicast_join";
/** Leave a group joined with multicastJoin. */
export function multicastLeave(ifAddress, group) @ "xs_native_multicast_leave";
/** An ICMP socket: write(message, address) sends one ICMP message (checksum included by the caller);
 *  onReadable(count) / read() -> ArrayBuffer (ICMP message, no IP header) with `address`. */
export class ICMP @ "xs_icmp_destructor" {
	constructor(options) @ "xs_icmp_constructor";
	read() @ "xs_icmp_read";
	write(message, address) @ "xs_icmp_write";
	close() @ "xs_icmp_close";
}
