/* xsnet simulator: the native functions of hosts/sim/js/tls.js (TLSSession, tls.c), for hostfns.c's table. */
#define SIM_TLS_FUNCTIONS(X) \
	X(xs_tls_constructor, 1) X(xs_tls_handshake, 0) X(xs_tls_put, 1) X(xs_tls_take, 0) X(xs_tls_read, 1) \
	X(xs_tls_write, 1) X(xs_tls_shutdown, 0) X(xs_tls_close, 0) X(xs_tls_get_protocol, 0)
