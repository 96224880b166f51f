/* xsnet/native: the rules of a DNS server setting, shared by Moddable's desktop simulator (lin/native.c) and
 * xsnet's simulator (hosts/sim/bindings/native.c), which both keep the servers in memory as lwIP does on a board
 * (modules/native/lwip/native.c follows the same rules over lwIP's own address parser). */
#ifndef XSNET_DNSSERVER_H
#define XSNET_DNSSERVER_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XSNET_DNS_PORT 53
#define XSNET_SERVER_MAX (INET_ADDRSTRLEN + 6)   /* "a.b.c.d:65535" and its NUL */

/* "a.b.c.d" or "a.b.c.d:port" (port 1..65535 in 1 to 5 digits) -> `out` as getDNSServer reports it (port 53
 * left out; "" for 0.0.0.0, which clears the server as in lwIP). Returns 0 when malformed. */
static int xsnetParseDNSServer(const char* text, char* out)
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

#endif
