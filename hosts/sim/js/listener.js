// ECMA-419 embedded:io/socket/listener for the xsnet simulator (listener.c). `address` is an
// extension of ours (the bound address).
import TCP from "embedded:io/socket/tcp";

function accept(listener) @ "xs_listener_accept";

class Listener @ "xs_listener_destructor" {
	constructor(options) @ "xs_listener_constructor";
	/** The next pending connection as a connected TCP socket with no callbacks, or undefined. */
	read() {
		const fd = accept(this);
		return fd === undefined ? undefined : new TCP({ from: fd });
	}
	write() { throw new Error("unsupported"); }
	close() @ "xs_listener_close";
	get format() { return "socket/tcp"; }
	set format(value) { if (value !== "socket/tcp") throw new RangeError("invalid format"); }
	get port() @ "xs_listener_get_port";
	get address() @ "xs_listener_get_address";
}
export default Listener;
