/* xsnet/native for Moddable's desktop simulator (lin, mac): DNS servers kept in memory, as lwIP keeps them on a
 * board (modules/native/lwip/native.c), port included: "a.b.c.d" or "a.b.c.d:port" for xsnet's resolver. */
#include "xsmc.h"
#include "xsHost.h"
#include "dnsserver.h"

static char gServers[2][XSNET_SERVER_MAX];

static int xsnetServerIndex(xsMachine* the)
{
	int index = xsmcToInteger(xsArg(0));
	if (index < 0 || index > 1)
		xsRangeError("server index out of range [0-1]");
	return index;
}


/* getDNSServer(index) -> "a.b.c.d" or "a.b.c.d:port" | undefined */
void xs_native_get_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
	if (gServers[index][0])
		xsmcSetString(xsResult, gServers[index]);
}

/* setDNSServer(index, "a.b.c.d" | "a.b.c.d:port" | undefined): undefined or "0.0.0.0" clears the server.
 * Throws TypeError "invalid dns server ip". */
void xs_native_set_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
	char server[XSNET_SERVER_MAX];
	if (xsmcArgc < 2 || xsmcTypeOf(xsArg(1)) == xsUndefinedType || xsmcTypeOf(xsArg(1)) == xsNullType) {
		gServers[index][0] = 0;
		return;
	}
	if (!xsnetParseDNSServer(xsmcToString(xsArg(1)), server))
		xsTypeError("invalid dns server ip");
	memcpy(gServers[index], server, sizeof(server));
}

/* Moddable's desktop simulator (lin): interface info, TTL, a socket's local end, multicast and ICMP are not provided. */
void xs_native_ifinfo(xsMachine* the) { }
void xs_native_ttl(xsMachine* the) { xsUnknownError("ttl() is not available on this platform"); }
void xs_native_local(xsMachine* the) { }   /* undefined: Moddable's lin sockets keep their local end private */
void xs_native_multicast_join(xsMachine* the) { xsUnknownError("multicast is not available on this platform"); }
void xs_native_multicast_leave(xsMachine* the) { xsUnknownError("multicast is not available on this platform"); }
void xs_icmp_destructor(void* data) { }
void xs_icmp_constructor(xsMachine* the) { xsUnknownError("ICMP is not available on this platform"); }
void xs_icmp_read(xsMachine* the) { }
void xs_icmp_write(xsMachine* the) { }
void xs_icmp_close(xsMachine* the) { }
