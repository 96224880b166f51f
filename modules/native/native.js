// xsnet/native on devices: what ECMA-419 lacks, bound to C over lwIP (lwip/*.c) or POSIX (lin/*.c,
// for Moddable's desktop simulator). The xsnet simulator has its own (hosts/sim/js/native.js).
/** DNS server `index` (0..1) as "a.b.c.d", or undefined. lwIP: dns_getserver(). */
export function getDNSServer(index) @ "xs_native_get_dns_server";
/** Set DNS server `index` (0..1); undefined clears it. lwIP: dns_setserver(). */
export function setDNSServer(index, address) @ "xs_native_set_dns_server";
/** Interface `index` (0 station, 1 access point): {ip, netmask, gateway?, hwaddr, dhcp?}, or undefined. lwIP: netif. */
export function ifinfo(index) @ "xs_native_ifinfo";
/** IP time-to-live of an ECMA-419 socket (boards: not yet available). */
export function ttl(socket, value) @ "xs_native_ttl";
/** Join an IPv4 multicast group on an interface. lwIP: igmp_joingroup(). */
export function multicastJoin(ifAddress, group) @ "xs_native_multicast_join";
/** Leave a multicast group. lwIP: igmp_leavegroup(). */
export function multicastLeave(ifAddress, group) @ "xs_native_multicast_leave";
/** An ICMP socket. lwIP: raw_new(IP_PROTO_ICMP). */
export class ICMP @ "xs_icmp_destructor" {
	constructor(options) @ "xs_icmp_constructor";
	read() @ "xs_icmp_read";
	write(message, address) @ "xs_icmp_write";
	close() @ "xs_icmp_close";
}
