/* xsnet/native for boards (ESP32, ESP8266): what ECMA-419 lacks, over lwIP's API.
 * Written for xsnet against lwIP 2.x's public headers (dns.h, ip_addr.h). */
#include "xsmc.h"
#include "xsHost.h"
#include "lwip/init.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"

#ifndef DNS_MAX_SERVERS
	#define DNS_MAX_SERVERS 2
#endif

static int xsnetServerIndex(xsMachine* the)
{
	int index = xsmcToInteger(xsArg(0));
	if (index < 0 || index >= DNS_MAX_SERVERS || index > 1)
		xsRangeError("server index out of range [0-1]");
	return index;
}

/* getDNSServer(index) -> "a.b.c.d" | undefined */
void xs_native_get_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
#if LWIP_VERSION_MAJOR >= 2
	const ip_addr_t* server = dns_getserver((u8_t)index);
	char text[IPADDR_STRLEN_MAX];
	if (!server || ip_addr_isany(server))
		return;
	ipaddr_ntoa_r(server, text, sizeof(text));
	xsmcSetString(xsResult, text);
#else
	/* lwIP 1.4 (ESP8266 Arduino core used by Moddable's esp builds) returns the server by value */
	ip_addr_t server = dns_getserver((u8_t)index);
	if (ip_addr_isany(&server))
		return;
	xsmcSetString(xsResult, ipaddr_ntoa(&server));
#endif
}

/* setDNSServer(index, "a.b.c.d" | undefined) */
void xs_native_set_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
	ip_addr_t server;
	if (xsmcArgc < 2 || xsmcTypeOf(xsArg(1)) == xsUndefinedType || xsmcTypeOf(xsArg(1)) == xsNullType) {
#if LWIP_VERSION_MAJOR >= 2
		dns_setserver((u8_t)index, NULL);
#else
		dns_setserver((u8_t)index, (ip_addr_t*)IP_ADDR_ANY); /* lwIP 1.4 ignores NULL */
#endif
		return;
	}
	if (!ipaddr_aton(xsmcToString(xsArg(1)), &server))
		xsTypeError("invalid dns server ip");
	dns_setserver((u8_t)index, &server);
}
