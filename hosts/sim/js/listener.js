// ECMA-419 embedded:io/socket/listener for the xsnet simulator (bindings/listener.c). `address` is an
// extension of ours (the bound address).
import TCP from "embedded:io/socket/tcp";

/** accept.call(listener, tcp): fills `tcp` (made with `new TCP()`) with the next pending connection and
 * returns it, or returns undefined when none waits. */
function accept(tcp) @ "xs_listener_accept";

class Listener @ "xs_listener_destructor" {
	constructor(options) @ "xs_listener_constructor";
	/** The next pending connection as a connected TCP socket with no callbacks, or undefined. As Moddable's
	 * Listener, an empty TCP instance is made first and the connection moved into it. */
	read() { return accept.call(this, new TCP); }
	write() { throw new Error("unsupported"); }
	close() @ "xs_listener_close";
	get format() { return "socket/tcp"; }
	set format(value) { if (value !== "socket/tcp") throw new RangeError("invalid format"); }
	get port() @ "xs_listener_get_port";
	get address() @ "xs_listener_get_address";
}
export default Listener;
