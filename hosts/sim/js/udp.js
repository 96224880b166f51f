// ECMA-419 embedded:io/socket/udp for the xsnet simulator (bindings/udp.c). `address`/`port` (the bound local
// end) are an extension of ours.
class UDP @ "xs_udp_destructor" {
	constructor(options) @ "xs_udp_constructor";
	read() @ "xs_udp_read";
	write(buffer, address, port) @ "xs_udp_write";
	close() @ "xs_udp_close";
	get format() { return "buffer"; }
	set format(value) { if (value !== "buffer") throw new RangeError("invalid format"); }
	get port() @ "xs_udp_get_port";
	get address() @ "xs_udp_get_address";
}
export default UDP;
