/* The device C of modules/native/lwip over a device-like lwIP (tests/native-lwip-threads.test.js): xsnet's own
 * build of lwIP 2.1.3 (tools/lwip-slirp.js: ESP-IDF-like options, DHCP and DNS in, NO_SYS=0 without core locking,
 * so every call from XS is a message to the tcpip thread as on an ESP32) with its netif on libslirp. The XS machine
 * runs on the main thread; lwIP's tcpip thread and slirp's thread run beside it. Run inside `unshare --net` only.
 *
 * Checks, through the device C's own functions as the JavaScript calls them:
 *   ifinfo(0) shows slirp's DHCP lease (ip 10.0.2.15, netmask, gateway 10.0.2.2, dhcp.server_ip 10.0.2.2);
 *   getDNSServer(0) is the server the lease named (slirp's 10.0.2.3); setDNSServer(1, "10.0.2.3:5353") reads
 *   back with its port; setDNSServer(1, undefined) clears it;
 *   an ICMP socket pings slirp's host address 10.0.2.2 and reads PINGS echo replies.
 * Prints one line "lease ... dns ... ping n/PINGS"; exit 0 when all held. */
#include "runtime.h"
#include "slirpif.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcpip_priv.h"
#include "lwip/dhcp.h"
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PINGS 3

typedef struct {
	struct tcpip_api_call_data call;
	struct netif* netif;
	int bound;
} LeaseCall;

static err_t startDHCP(struct tcpip_api_call_data* call)
{
	return dhcp_start(((LeaseCall*)call)->netif);
}

static err_t readBound(struct tcpip_api_call_data* call)
{
	LeaseCall* c = (LeaseCall*)call;
	c->bound = dhcp_supplied_address(c->netif);
	return ERR_OK;
}

static void initDone(void* arg)
{
	__atomic_store_n((int*)arg, 1, __ATOMIC_RELEASE);
}

static int gReplies = 0;

static void onReadable(xsMachine* the)
{
	xsVars(1);
	for (;;) {
		xsVar(0) = xsCall0(xsThis, xsID("read"));
		if (xsTypeOf(xsVar(0)) == xsUndefinedType)
			break;
		gReplies++;
	}
}

/* the string property `key` of `object` ("" when absent), into `out` */
static void text(xsMachine* the, xsSlot* object, const char* key, char* out, size_t size)
{
	xsSlot value = xsGet(*object, xsID((char*)key));
	snprintf(out, size, "%s", xsTypeOf(value) == xsStringType ? xsToString(value) : "");
}

int main(int argc, char* argv[])
{
	xsCreation creation = { 128 * 1024, 64 * 1024, 8192, 2048, 1024, 2048, 1024, 127, 127, 32 * 1024, 1993, 0 };
	xsMachine* machine;
	LeaseCall lease = { 0 };
	int ready = 0;
	char ip[20] = "", netmask[20] = "", gateway[20] = "", server[20] = "", dns0[32] = "", dns1[32] = "", cleared[32] = "";
	int i, ok;
	struct if_nameindex* names = if_nameindex();
	for (i = 0; names && names[i].if_index; i++) {
		if (strcmp(names[i].if_name, "lo")) {
			fprintf(stderr, "lwip-slirp-native: refused: slirp forwards to the real network; run inside `unshare --net`\n");
			return 2;
		}
	}
	if (names)
		if_freenameindex(names);

	tcpip_init(initDone, &ready);
	while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		usleep(1000);
	lease.netif = xsnetSlirpStart();
	if (!lease.netif)
		return 1;
	tcpip_api_call(startDHCP, &lease.call);
	for (i = 0; i < 100 && !lease.bound; i++) {
		usleep(100000);
		tcpip_api_call(readBound, &lease.call);
	}

	machine = xsCreateMachine(&creation, "lwip-slirp-native", NULL);
	xsBeginHost(machine);
	xsTry {
		xsVars(8);
		/* 0: native, 1: a function, 2: result, 3: argument, 4: argument, 5: ICMP prototype, 6: socket, 7: options */
		xsVar(0) = xsNewObject();
		xsVar(1) = xsNewHostFunction(xs_native_ifinfo, 1);
		xsSet(xsVar(0), xsID("ifinfo"), xsVar(1));
		xsVar(1) = xsNewHostFunction(xs_native_get_dns_server, 1);
		xsSet(xsVar(0), xsID("getDNSServer"), xsVar(1));
		xsVar(1) = xsNewHostFunction(xs_native_set_dns_server, 2);
		xsSet(xsVar(0), xsID("setDNSServer"), xsVar(1));

		xsVar(3) = xsInteger(0);
		xsVar(2) = xsCall1(xsVar(0), xsID("ifinfo"), xsVar(3));
		if (xsTypeOf(xsVar(2)) == xsReferenceType) {
			text(the, &xsVar(2), "ip", ip, sizeof(ip));
			text(the, &xsVar(2), "netmask", netmask, sizeof(netmask));
			text(the, &xsVar(2), "gateway", gateway, sizeof(gateway));
			xsVar(2) = xsGet(xsVar(2), xsID("dhcp"));
			if (xsTypeOf(xsVar(2)) == xsReferenceType)
				text(the, &xsVar(2), "server_ip", server, sizeof(server));
		}
		xsVar(2) = xsCall1(xsVar(0), xsID("getDNSServer"), xsVar(3));
		snprintf(dns0, sizeof(dns0), "%s", xsTypeOf(xsVar(2)) == xsStringType ? xsToString(xsVar(2)) : "none");
		xsVar(3) = xsInteger(1);
		xsVar(4) = xsString("10.0.2.3:5353");
		xsCall2(xsVar(0), xsID("setDNSServer"), xsVar(3), xsVar(4));
		xsVar(2) = xsCall1(xsVar(0), xsID("getDNSServer"), xsVar(3));
		snprintf(dns1, sizeof(dns1), "%s", xsTypeOf(xsVar(2)) == xsStringType ? xsToString(xsVar(2)) : "none");
		xsCall2(xsVar(0), xsID("setDNSServer"), xsVar(3), xsUndefined);
		xsVar(2) = xsCall1(xsVar(0), xsID("getDNSServer"), xsVar(3));
		snprintf(cleared, sizeof(cleared), "%s", xsTypeOf(xsVar(2)) == xsStringType ? xsToString(xsVar(2)) : "none");

		xsVar(5) = xsNewHostObject(NULL);
		xsVar(1) = xsNewHostFunction(xs_icmp_read, 0);
		xsSet(xsVar(5), xsID("read"), xsVar(1));
		xsVar(1) = xsNewHostFunction(xs_icmp_write, 2);
		xsSet(xsVar(5), xsID("write"), xsVar(1));
		xsVar(1) = xsNewHostFunction(xs_icmp_close, 0);
		xsSet(xsVar(5), xsID("close"), xsVar(1));
		xsVar(7) = xsNewObject();
		xsVar(1) = xsNewHostFunction(onReadable, 1);
		xsSet(xsVar(7), xsID("onReadable"), xsVar(1));
		xsVar(6) = xsNewHostInstance(xsVar(5));
		xsVar(1) = xsNewHostFunction(xs_icmp_constructor, 1);
		xsCallFunction1(xsVar(1), xsVar(6), xsVar(7));
		xsVar(4) = xsString("10.0.2.2");
		for (i = 0; i < PINGS; i++) {
			uint8_t request[8 + 32] = { 8, 0, 0, 0, 0x78, 0x73, 0, (uint8_t)(i + 1) };
			uint16_t sum;
			int before = gReplies;
			memset(request + 8, 'x', 32);
			sum = icmpChecksum(request, sizeof(request));
			request[2] = (uint8_t)(sum >> 8);
			request[3] = (uint8_t)sum;
			xsVar(3) = xsArrayBuffer(request, sizeof(request));
			xsCall2(xsVar(6), xsID("write"), xsVar(3), xsVar(4));
			while (gReplies == before && serviceMessages(the, 2000))
				;
		}
		xsCall0(xsVar(6), xsID("close"));
		while (serviceMessages(the, 50))
			;
		xsCollectGarbage();
	}
	xsCatch {
		fprintf(stderr, "lwip-slirp-native: %s\n", xsToString(xsException));
		exit(1);
	}
	xsEndHost(machine);
	xsDeleteMachine(machine);
	printf("lease %s ip %s netmask %s gateway %s server %s dns0 %s dns1 %s cleared %s ping %d/%d\n",
		lease.bound ? "bound" : "none", ip, netmask, gateway, server, dns0, dns1, cleared, gReplies, PINGS);
	ok = lease.bound && !strcmp(ip, "10.0.2.15") && !strcmp(netmask, "255.255.255.0") && !strcmp(gateway, "10.0.2.2")
		&& !strcmp(server, "10.0.2.2") && !strcmp(dns0, "10.0.2.3") && !strcmp(dns1, "10.0.2.3:5353")
		&& !strcmp(cleared, "none") && gReplies == PINGS;
	return ok ? 0 : 1;
}
