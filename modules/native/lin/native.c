/* xsnet/native for Moddable's desktop simulator (lin, mac): DNS servers kept in memory, as lwIP keeps them on a
 * board (modules/native/lwip/native.c), port included: "a.b.c.d" or "a.b.c.d:port" for xsnet's resolver. */
#include "xsmc.h"
#include "xsHost.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XSNET_DNS_PORT 53
#define XSNET_SERVER_MAX (INET_ADDRSTRLEN + 6)   /* "a.b.c.d:65535" and its NUL */

static char gServers[2][XSNET_SERVER_MAX];

static int xsnetServerIndex(xsMachine* the)
{
	int index = xsmcToInteger(xsArg(0));
	if (index < 0 || index > 1)
		xsRangeError("server index out of range [0-1]");
	return index;
}

/* "a.b.c.d" or "a.b.c.d:port" (port 1..65535 in 1 to 5 digits) -> `out` as getDNSServer reports it (port 53
 * left out; "" for 0.0.0.0, which clears the server as in lwIP). Returns 0 when malformed. */
static int xsnetParseServer(const char* text, char* out)
{
	char address[INET_ADDRSTRLEN];
	const char* colon = strchr(text, ':');
	size_t length = colon ? (size_t)(colon - text) : strlen(text);
	unsigned long port = XSNET_DNS_PORT;
	struct in_addr a;
	if (length >= sizeof(address))
		return 0;
	memcpy(address, text, length);
	address[length] = 0;
	if (inet_pton(AF_INET, address, &a) != 1)
		return 0;
	if (colon) {
		const char* digits = colon + 1;
		size_t count = strspn(digits, "0123456789");
		if (count < 1 || count > 5 || digits[count])
			return 0;
		port = strtoul(digits, NULL, 10);
		if (port < 1 || port > 65535)
			return 0;
	}
	if (a.s_addr == htonl(INADDR_ANY))
		*out = 0;
	else if (port == XSNET_DNS_PORT)
		snprintf(out, XSNET_SERVER_MAX, "%s", address);
	else
		snprintf(out, XSNET_SERVER_MAX, "%s:%lu", address, port);
	return 1;
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
	if (!xsnetParseServer(xsmcToString(xsArg(1)), server))
		xsTypeError("invalid dns server ip");
	memcpy(gServers[index], server, sizeof(server));
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
