// xsnet/native: what ECMA-419 lacks, as one small class-and-functions binding to C, Moddable style.
// The C behind it is per platform: lwip/*.c on boards (lwIP's API), lin/*.c for Moddable's desktop
// simulator, hosts/sim/bindings/native.c + icmp.c in xsnet's simulator (POSIX); common/*.c on all of them.
// types/native.d.ts documents it.
/** DNS server `index` (0..1) as "a.b.c.d" or "a.b.c.d:port", or undefined. lwIP: dns_getserver() (the port: xsnet's, for its resolver). */
export function getDNSServer(index) @ "xs_native_get_dns_server";
/** Set DNS server `index` (0..1) to "a.b.c.d[:port]"; undefined or "0.0.0.0" clears it. lwIP: dns_setserver(). */
export function setDNSServer(index, address) @ "xs_native_set_dns_server";
/** Interface `index` (0 station, 1 access point): {ip, netmask, gateway?, hwaddr: ArrayBuffer(6), dhcp?}, or undefined. lwIP: netif. */
export function ifinfo(index) @ "xs_native_ifinfo";
/** IP time-to-live of an ECMA-419 TCP or UDP socket, set first when `value` (0..255) is given (boards: lwIP 2 only).
 * Throws RangeError "invalid ttl", Error "socket is not open/bound yet". */
export function ttl(socket, value) @ "xs_native_ttl";
/** Local end of an ECMA-419 TCP (`udp` false) or UDP (`udp` true) socket of the host's own classes: [port, "a.b.c.d"],
 * or undefined (closed, not bound yet, or the platform cannot tell). Boards: the pcb's local_port/local_ip. */
export function local(socket, udp) @ "xs_native_local";
/** Join an IPv4 multicast group on the interface with address `ifAddress` ("0.0.0.0": any), for every UDP socket. lwIP: igmp_joingroup().
 * Throws Error "multicast join failed: no such interface" (no interface has that address) or "... out of memory". */
export function multicastJoin(ifAddress, group) @ "xs_native_multicast_join";
/** Leave a multicast group. lwIP: igmp_leavegroup(). Throws Error "multicast leave failed: not a member". */
export function multicastLeave(ifAddress, group) @ "xs_native_multicast_leave";
/** Valid UTF-8 `buffer[offset, offset + length)` (an ArrayBuffer, bytes) as a string, after the sequence `carry`
 * (0, or length << 24 | bytes from bit 16 down) cut by the previous chunk; a sequence cut by this chunk's end goes to
 * `decoder.carry` (packed so, 0 for none; without `decoder` it makes the bytes invalid). undefined when the bytes
 * are not valid UTF-8 as WHATWG defines it (carry untouched). Throws TypeError (no ArrayBuffer), RangeError
 * (outside it, a bad carry). common/utf8.c, one C for every platform. */
export function utf8Text(buffer, offset, length, carry, decoder) @ "xs_native_utf8_text";
/** An ICMP socket: write(message, address) sends one ICMP message (checksum included by the caller);
 *  onReadable(count) / read() -> ArrayBuffer (ICMP message, no IP header) with `address`. lwIP: raw_new(IP_PROTO_ICMP). */
export class ICMP @ "xs_icmp_destructor" {
	constructor(options) @ "xs_icmp_constructor";
	read() @ "xs_icmp_read";
	write(message, address) @ "xs_icmp_write";
	close() @ "xs_icmp_close";
}
