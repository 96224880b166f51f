// xsnet/native for the simulator: what ECMA-419 lacks (native.c). Devices: modules/native.
/** DNS server `index` (0..1) as "a.b.c.d[:port]", or undefined. */
export function getDNSServer(index) @ "xs_native_get_dns_server";
/** Set DNS server `index` (0..1); undefined clears it. */
export function setDNSServer(index, address) @ "xs_native_set_dns_server";
