/* xsnet simulator: the project's own native module `xsnet/native` (what ECMA-419 lacks).
 * Devices implement the same functions over lwIP in modules/native. */
#include "sim.h"

#define SIM_DNS_SERVERS 2    /* lwIP's DNS_MAX_SERVERS on ESP8266/ESP32 NodeMCU builds */
static char* gDNSServers[SIM_DNS_SERVERS];

void simSetDNSServer(int index, const char* address)
{
	if (index < 0 || index >= SIM_DNS_SERVERS)
		return;
	free(gDNSServers[index]);
	gDNSServers[index] = address ? strdup(address) : NULL;
}

/* getDNSServer(index) -> "a.b.c.d[:port]" | undefined  (lwIP dns_getserver) */
void xs_native_get_dns_server(xsMachine* the)
{
	int index = xsToInteger(xsArg(0));
	if (index < 0 || index >= SIM_DNS_SERVERS)
		xsRangeError("server index out of range [0-1]");
	if (gDNSServers[index])
		xsResult = xsString(gDNSServers[index]);
}

/* setDNSServer(index, address | undefined)  (lwIP dns_setserver) */
void xs_native_set_dns_server(xsMachine* the)
{
	int index = xsToInteger(xsArg(0));
	if (index < 0 || index >= SIM_DNS_SERVERS)
		xsRangeError("server index out of range [0-1]");
	if (xsToInteger(xsArgc) < 2 || xsTypeOf(xsArg(1)) == xsUndefinedType || xsTypeOf(xsArg(1)) == xsNullType)
		simSetDNSServer(index, NULL);
	else
		simSetDNSServer(index, xsToString(xsArg(1)));
}
