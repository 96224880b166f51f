/* xsnet simulator: the table of native functions that host modules bind with `@ "name"`. */
#include "bindings.h"
#include "tls/tls.h"

#define SIM_FUNCTIONS(X) \
	X(xs_timer_set, 3) X(xs_timer_repeat, 2) X(xs_timer_schedule, 3) X(xs_timer_clear, 1) X(xs_timer_delay, 1) \
	X(xs_sim_args, 0) X(xs_sim_heap_used, 0) X(xs_sim_gc, 0) X(xs_sim_cpu, 0) \
	X(xs_modules_has, 1) X(xs_modules_importNow, 1) \
	X(xs_native_get_dns_server, 1) X(xs_native_set_dns_server, 2) \
	X(xs_native_ifinfo, 1) X(xs_native_ttl, 2) X(xs_native_local, 2) X(xs_native_multicast_join, 2) X(xs_native_multicast_leave, 2) \
	X(xs_native_utf8_text, 5) \
	X(xs_icmp_constructor, 1) X(xs_icmp_read, 0) X(xs_icmp_write, 2) X(xs_icmp_close, 0) \
	X(xs_textdecoder, 2) X(xs_textdecoder_decode, 2) X(xs_textdecoder_get_encoding, 0) \
	X(xs_textdecoder_get_ignoreBOM, 0) X(xs_textdecoder_get_fatal, 0) \
	X(xs_textencoder, 0) X(xs_textencoder_encode, 1) X(xs_textencoder_encodeInto, 2) \
	X(xs_tcp_constructor, 1) X(xs_tcp_read, 1) X(xs_tcp_write, 1) X(xs_tcp_close, 0) \
	X(xs_tcp_get_format, 0) X(xs_tcp_set_format, 1) X(xs_tcp_get_remoteAddress, 0) X(xs_tcp_get_remotePort, 0) \
	X(xs_tcp_get_localAddress, 0) X(xs_tcp_get_localPort, 0) \
	X(xs_listener_constructor, 1) X(xs_listener_accept, 1) X(xs_listener_close, 0) \
	X(xs_listener_get_port, 0) X(xs_listener_get_address, 0) \
	X(xs_udp_constructor, 1) X(xs_udp_read, 0) X(xs_udp_write, 3) X(xs_udp_close, 0) \
	X(xs_udp_get_port, 0) X(xs_udp_get_address, 0) \
	SIM_TLS_FUNCTIONS(X)

#define SIM_DESTRUCTORS(X) \
	X(xs_textdecoder_destructor) X(xs_tcp_destructor) X(xs_listener_destructor) X(xs_udp_destructor) X(xs_icmp_destructor) X(xs_tls_destructor)

#define SIM_DECLARE(name, length) extern void name(xsMachine* the);
#define SIM_DECLARE_D(name) extern void name(void* data);
SIM_FUNCTIONS(SIM_DECLARE)
SIM_DESTRUCTORS(SIM_DECLARE_D)

/* While the preload phase runs (preload.c), every native function refuses to run, as the XS linker does. */
#define SIM_GUARD(name, length) static void name##_guarded(xsMachine* the) { \
	if (simPreloading()) simPreloadRefuse(the, #name); \
	name(the); }
SIM_FUNCTIONS(SIM_GUARD)

#define SIM_ENTRY(name, length) { #name, (txCallback)name##_guarded, length },
#define SIM_ENTRY_D(name) { #name, (txCallback)name, -1 },
const simHostFunction gSimHostFunctions[] = {
	SIM_FUNCTIONS(SIM_ENTRY)
	SIM_DESTRUCTORS(SIM_ENTRY_D)
	{ NULL, NULL, 0 }
};
