// ECMA-419 embedded:io/socket/tcp for the xsnet simulator: a small class binding native functions
// (bindings/tcp.c). localAddress/localPort are an extension of ours (the socket's own end).
class TCP @ "xs_tcp_destructor" {
	constructor(options) @ "xs_tcp_constructor";
	read(byteLength) @ "xs_tcp_read";
	write(buffer) @ "xs_tcp_write";
	close() @ "xs_tcp_close";
	get format() @ "xs_tcp_get_format";
	set format(value) @ "xs_tcp_set_format";
	get remoteAddress() @ "xs_tcp_get_remoteAddress";
	get remotePort() @ "xs_tcp_get_remotePort";
	get localAddress() @ "xs_tcp_get_localAddress";
	get localPort() @ "xs_tcp_get_localPort";
}
export default TCP;
