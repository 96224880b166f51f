/* xsnet simulator: the seam's common part: the backend in use (main.c chooses it), the stack's settings (DNS
 * servers: lwIP's dns_setserver; the station interface) and owned receive buffers. */
#include "net.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dnsserver.h"     /* modules/native/lin: the rules of a DNS server setting, as on Moddable's lin */

_Static_assert(SIM_DNS_SERVER_MAX >= XSNET_SERVER_MAX, "DNS server text");

static char gDNSServers[SIM_DNS_SERVERS][SIM_DNS_SERVER_MAX];
static char* gStation = NULL;
static const simNetFunctions* gNet = NULL;

const simNetFunctions* simNet(void)
{
	return gNet;
}

void simNetUse(const simNetFunctions* functions)
{
	gNet = functions;
}

const char* simNetDNSServer(int index)
{
	if (index < 0 || index >= SIM_DNS_SERVERS || !gDNSServers[index][0])
		return NULL;
	return gDNSServers[index];
}

int simNetSetDNSServer(int index, const char* address)
{
	char server[SIM_DNS_SERVER_MAX];
	if (index < 0 || index >= SIM_DNS_SERVERS)
		return 0;
	if (!address) {
		gDNSServers[index][0] = 0;
		return 1;
	}
	if (!xsnetParseDNSServer(address, server))
		return 0;
	memcpy(gDNSServers[index], server, sizeof(server));
	return 1;
}

const char* simNetStation(void)
{
	return gStation;
}

void simNetSetStation(const char* name)
{
	free(gStation);
	gStation = name ? strdup(name) : NULL;
}

static void simNetBufOwnedFree(simNetBuf* buf)
{
	free(buf);
}

static simNetBuf* simNetBufOwnedHold(simNetBuf* buf)
{
	return buf;
}

simNetBuf* simNetBufNew(const void* data, size_t length)
{
	simNetBuf* buf = malloc(sizeof(simNetBuf) + length);
	if (!buf)
		return NULL;
	buf->data = (uint8_t*)(buf + 1);
	buf->length = length;
	buf->free = simNetBufOwnedFree;
	buf->hold = simNetBufOwnedHold;
	memcpy(buf->data, data, length);
	return buf;
}
