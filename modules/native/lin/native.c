/* xsnet/native for Moddable's desktop simulator (lin): DNS servers kept in memory. */
#include "xsmc.h"
#include "xsHost.h"
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static char* gServers[2];

static int xsnetServerIndex(xsMachine* the)
{
	int index = xsmcToInteger(xsArg(0));
	if (index < 0 || index > 1)
		xsRangeError("server index out of range [0-1]");
	return index;
}

void xs_native_get_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
	if (gServers[index])
		xsmcSetString(xsResult, gServers[index]);
}

void xs_native_set_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
	struct in_addr a;
	free(gServers[index]);
	gServers[index] = NULL;
	if (xsmcArgc < 2 || xsmcTypeOf(xsArg(1)) == xsUndefinedType || xsmcTypeOf(xsArg(1)) == xsNullType)
		return;
	if (inet_pton(AF_INET, xsmcToString(xsArg(1)), &a) != 1)
		xsTypeError("invalid dns server ip");
	gServers[index] = strdup(xsmcToString(xsArg(1)));
}

/* Moddable's desktop simulator (lin): interface info, TTL, multicast and ICMP are not provided. */
void xs_native_ifinfo(xsMachine* the) { }
void xs_native_ttl(xsMachine* the) { xsUnknownError("ttl() is not available on this platform"); }
void xs_native_multicast_join(xsMachine* the) { xsUnknownError("multicast is not available on this platform"); }
void xs_native_multicast_leave(xsMachine* the) { xsUnknownError("multicast is not available on this platform"); }
void xs_icmp_destructor(void* data) { }
void xs_icmp_constructor(xsMachine* the) { xsUnknownError("ICMP is not available on this platform"); }
void xs_icmp_read(xsMachine* the) { }
void xs_icmp_write(xsMachine* the) { }
void xs_icmp_close(xsMachine* the) { }
