/* xsnet/native for boards (ESP32, ESP8266): the DNS servers, over lwIP's API.
 * Written for xsnet against lwIP 2.x's public headers (dns.h, ip_addr.h); lwIP 1.4 where it differs.
 *
 * The addresses live in lwIP (dns_setserver/dns_getserver), so DHCP and the rest of the firmware see them.
 * lwIP has no port per server (DNS_SERVER_PORT is one compile-time constant), but xsnet's own resolver
 * (src/dns/resolver.ts over UDP) is what looks names up for xsnet, and it takes "a.b.c.d:port": a port other than
 * 53 is kept here, next to the address it was set with, and reported by getDNSServer only while lwIP still holds
 * that address (a DHCP lease that replaces the server drops the port with it).
 * dns_getserver/dns_setserver run on lwIP's thread (lwipcall.h): DHCP sets the same servers there. gPorts and
 * gPortAddresses are the XS task's alone. */
#include "xsmc.h"
#include "xsHost.h"
#include "lwip/init.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwipcall.h"
#include <string.h>

#ifndef DNS_MAX_SERVERS
	#define DNS_MAX_SERVERS 2
#endif

#define XSNET_DNS_SERVERS 2
#define XSNET_DNS_PORT 53
#define XSNET_ADDRESS_MAX 16    /* "255.255.255.255" and its NUL */
#define XSNET_TEXT_MAX 56       /* an address as lwIP writes it (IPADDR_STRLEN_MAX: 46 with IPv6), ":65535" */

static uint16_t gPorts[XSNET_DNS_SERVERS];                  /* 0: port 53 */
static char gPortAddresses[XSNET_DNS_SERVERS][XSNET_ADDRESS_MAX];  /* the address gPorts[i] was set with */

static int xsnetServerIndex(xsMachine* the)
{
	int index = xsmcToInteger(xsArg(0));
	if (index < 0 || index >= DNS_MAX_SERVERS || index >= XSNET_DNS_SERVERS)
		xsRangeError("server index out of range [0-1]");
	return index;
}

/* Split "a.b.c.d[:port]": the address text into `address`, the port (default 53) into `port`. Returns 0 unless
 * the address is four decimal numbers 0..255 without leading zeros (as inet_pton, the simulators' check; lwIP's
 * ipaddr_aton would also take "10.1" or hex) and the port, if any, 1 to 5 digits within 1..65535. */
static int xsnetSplitServer(const char* text, char* address, uint16_t* port)
{
	int i = 0, parts = 0, digits = 0;
	uint32_t value = 0;
	for (;; i++) {
		char c = text[i];   /* at most 4 parts of 3 digits: i stays below XSNET_ADDRESS_MAX */
		if (c >= '0' && c <= '9') {
			if ((digits == 1 && value == 0) || ++digits > 3)
				return 0;
			value = value * 10 + (uint32_t)(c - '0');
			if (value > 255)
				return 0;
		}
		else {
			if (!digits || (c == '.' && parts == 3) || (c != '.' && parts != 3))
				return 0;
			parts++;
			digits = 0;
			value = 0;
			if (c != '.')
				break;
		}
		address[i] = c;
	}
	address[i] = 0;
	*port = XSNET_DNS_PORT;
	if (!text[i])
		return 1;
	if (text[i] != ':')
		return 0;
	text += i + 1;
	for (i = 0; text[i]; i++) {
		if (i == 5 || text[i] < '0' || text[i] > '9')
			return 0;
		value = value * 10 + (uint32_t)(text[i] - '0');
	}
	if (i == 0 || value < 1 || value > 65535)
		return 0;
	*port = (uint16_t)value;
	return 1;
}

/* Write ":port" (1..65535) at `out`, NUL-terminated; `out` has room for 7 bytes. */
static void xsnetFormatPort(char* out, uint16_t port)
{
	char digits[5];
	int n = 0;
	do {
		digits[n++] = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	*out++ = ':';
	while (n)
		*out++ = digits[--n];
	*out = 0;
}

/* one dns_getserver/dns_setserver call on lwIP's thread */
typedef struct {
	xsnetLwipCallData call;
	u8_t index;
	uint8_t set;        /* 1: dns_setserver(index, clear ? NULL : &server); 0: server = dns_getserver(index) */
	uint8_t clear;
	ip_addr_t server;
} xsnetDNSCall;

static err_t xsnetDNSInLwip(xsnetLwipCallData* call)
{
	xsnetDNSCall* c = (xsnetDNSCall*)call;
	if (c->set) {
#if LWIP_VERSION_MAJOR >= 2
		dns_setserver(c->index, c->clear ? NULL : &c->server);
#else
		dns_setserver(c->index, c->clear ? (ip_addr_t*)IP_ADDR_ANY : &c->server); /* lwIP 1.4 ignores NULL */
#endif
		return ERR_OK;
	}
#if LWIP_VERSION_MAJOR >= 2
	{
		const ip_addr_t* server = dns_getserver(c->index);
		if (server)
			ip_addr_copy(c->server, *server);
		else
			ip_addr_set_zero(&c->server);
	}
#else
	c->server = dns_getserver(c->index); /* lwIP 1.4 (ESP8266 Arduino core used by Moddable's esp builds): by value */
#endif
	return ERR_OK;
}

/* getDNSServer(index) -> "a.b.c.d" or "a.b.c.d:port" | undefined. lwIP: dns_getserver(). */
void xs_native_get_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
	char text[XSNET_TEXT_MAX];
	int length = 0;
	xsnetDNSCall c;
	c.index = (u8_t)index;
	c.set = 0;
	xsnetLwipCall(xsnetDNSInLwip, &c);
	if (ip_addr_isany(&c.server))
		return;
	ipaddr_ntoa_r(&c.server, text, XSNET_TEXT_MAX - 6);
	if (gPorts[index] && !strcmp(text, gPortAddresses[index])) {
		while (text[length])
			length++;
		xsnetFormatPort(text + length, gPorts[index]);
	}
	xsmcSetString(xsResult, text);
}

/* setDNSServer(index, "a.b.c.d" | "a.b.c.d:port" | undefined). "0.0.0.0" or undefined clears the server.
 * lwIP: dns_setserver(); the port is xsnet's (see above). Throws TypeError "invalid dns server ip". */
void xs_native_set_dns_server(xsMachine* the)
{
	int index = xsnetServerIndex(the);
	xsnetDNSCall c;
	char address[XSNET_ADDRESS_MAX];
	uint16_t port = XSNET_DNS_PORT;
	gPorts[index] = 0;
	gPortAddresses[index][0] = 0;
	c.index = (u8_t)index;
	c.set = 1;
	c.clear = xsmcArgc < 2 || xsmcTypeOf(xsArg(1)) == xsUndefinedType || xsmcTypeOf(xsArg(1)) == xsNullType;
	if (!c.clear && (!xsnetSplitServer(xsmcToString(xsArg(1)), address, &port) || !ipaddr_aton(address, &c.server)))
		xsTypeError("invalid dns server ip");
	xsnetLwipCall(xsnetDNSInLwip, &c);
	if (!c.clear && port != XSNET_DNS_PORT && !ip_addr_isany(&c.server)) {
		gPorts[index] = port;
		ipaddr_ntoa_r(&c.server, gPortAddresses[index], XSNET_ADDRESS_MAX);
	}
}
