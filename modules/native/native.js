// xsnet/native on devices: what ECMA-419 lacks, bound to C over lwIP (lwip/native.c) or POSIX
// (lin/native.c, for Moddable's desktop simulator). The xsnet simulator has its own (hosts/sim).
/** DNS server `index` (0..1) as "a.b.c.d", or undefined. lwIP: dns_getserver(). */
export function getDNSServer(index) @ "xs_native_get_dns_server";
/** Set DNS server `index` (0..1); undefined clears it. lwIP: dns_setserver(). */
export function setDNSServer(index, address) @ "xs_native_set_dns_server";
