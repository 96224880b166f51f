/* A thread-safety check of modules/native/lwip on this machine (tests/native-lwip-threads.test.js): the device C,
 * compiled unchanged, runs in a real XS machine on the main thread ("the XS task") while Debian's liblwip runs its
 * tcpip thread (NO_SYS=0, core locking: Debian's lwipopts.h), as ESP-IDF runs lwIP in its own task. Built with
 * ThreadSanitizer; lwIP's own LWIP_ASSERT_CORE_LOCKED() also aborts when a raw-API call comes from the XS thread
 * without the core lock.
 *
 * The netif "st" (10.0.0.1/24) sends nothing anywhere: every packet to 10.0.0.1 goes through lwIP's loopback
 * (LWIP_NETIF_LOOPBACK), so an echo request written to the ICMP socket comes back as lwIP's echo reply on the
 * tcpip thread. No traffic leaves the process.
 *
 * Rounds: open an ICMP socket, write BURST echo requests to 10.0.0.1; odd rounds close as soon as lwIP has posted
 * the first delivery message (it then runs for a closed socket: the use count must keep the record; the other
 * replies are still in flight), even rounds wait for every reply. In
 * between: ifinfo(0), multicastJoin/Leave, garbage collections. Then ttl() and local() on TCP and UDP pcbs held as
 * Moddable's socket records hold them (pcbs.c, its "pcb" lines). Prints one line of counts; exit 0 when every
 * awaited reply came and every check held.
 *
 * The Moddable runtime functions the device C uses are runtime.c's. */
#include "xsAll.h"
#include "xs.h"
#include "runtime.h"
#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/ip_addr.h"
#include <pthread.h>
#include <time.h>
#include <errno.h>

#define ROUNDS 600
#define BURST 4

/* ---- lwIP: the tcpip thread and a netif that only loops back ---- */

static struct netif gNetif;
static pthread_mutex_t gInitMutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gInitCondition = PTHREAD_COND_INITIALIZER;
static int gInitDone = 0;

static void initDone(void* arg)
{
	pthread_mutex_lock(&gInitMutex);
	gInitDone = 1;
	pthread_cond_signal(&gInitCondition);
	pthread_mutex_unlock(&gInitMutex);
}

static err_t netifOutput(struct netif* netif, struct pbuf* p, const ip4_addr_t* address)
{
	return ERR_OK; /* nowhere: only 10.0.0.1 itself is reachable, through lwIP's loopback */
}

static err_t netifInit(struct netif* netif)
{
	netif->name[0] = 's';
	netif->name[1] = 't';
	netif->output = netifOutput;
	netif->mtu = 1500;
	netif->hwaddr_len = 6;
	memcpy(netif->hwaddr, "\x02\x00\x00\x00\x00\x01", 6);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_IGMP;
	return ERR_OK;
}

static void startLwip(void)
{
	ip4_addr_t address, netmask, gateway;
	tcpip_init(initDone, NULL);
	pthread_mutex_lock(&gInitMutex);
	while (!gInitDone)
		pthread_cond_wait(&gInitCondition, &gInitMutex);
	pthread_mutex_unlock(&gInitMutex);
	IP4_ADDR(&address, 10, 0, 0, 1);
	IP4_ADDR(&netmask, 255, 255, 255, 0);
	IP4_ADDR(&gateway, 10, 0, 0, 254);
	LOCK_TCPIP_CORE();
	netif_add(&gNetif, &address, &netmask, &gateway, NULL, netifInit, tcpip_input);
	netif_set_default(&gNetif);
	netif_set_up(&gNetif);
	netif_set_link_up(&gNetif);
	UNLOCK_TCPIP_CORE();
}

/* ---- the XS side ---- */

static int gReplies = 0, gBadReplies = 0;

/* onReadable(count): read every queued reply; each must be an echo reply (type 0) from 10.0.0.1 */
static void onReadable(xsMachine* the)
{
	xsVars(2);
	for (;;) {
		xsVar(0) = xsCall0(xsThis, xsID("read"));
		if (xsTypeOf(xsVar(0)) == xsUndefinedType)
			break;
		xsVar(1) = xsGet(xsVar(0), xsID("address"));
		if (xsGetArrayBufferLength(xsVar(0)) == 8 + 16 && ((uint8_t*)xsToArrayBuffer(xsVar(0)))[0] == 0
				&& xsTypeOf(xsVar(1)) == xsStringType && !strcmp(xsToString(xsVar(1)), "10.0.0.1"))
			gReplies++;
		else
			gBadReplies++;
	}
}

int main(int argc, char* argv[])
{
	xsCreation creation = {
		128 * 1024, 64 * 1024, 8192, 2048, 1024, 2048, 1024, 127, 127, 32 * 1024, 1993, 0,
	};
	xsMachine* machine;
	int round, ttlChecks = 0, waited = 0, closedInFlight = 0, delivered = 0, ifinfoOK = 0, multicastOK = 0;

	startLwip();
	machine = xsCreateMachine(&creation, "lwip-threads", NULL);
	xsBeginHost(machine);
	xsTry {
		xsVars(10);
		/* 0: ICMP prototype, 1: ICMP constructor, 2: options, 3: socket, 4: request, 5: native {ifinfo, multicastJoin, multicastLeave},
		 * 6: ifinfo's result,
		 * 7: a function or a string, 8: "10.0.0.1", 9: "239.1.2.3" (XS's macros do not nest) */
		xsVar(8) = xsString("10.0.0.1");
		xsVar(9) = xsString("239.1.2.3");
		xsVar(0) = xsNewHostObject(NULL);  /* instances of a host prototype are host objects */
		xsVar(7) = xsNewHostFunction(xs_icmp_read, 0);
		xsSet(xsVar(0), xsID("read"), xsVar(7));
		xsVar(7) = xsNewHostFunction(xs_icmp_write, 2);
		xsSet(xsVar(0), xsID("write"), xsVar(7));
		xsVar(7) = xsNewHostFunction(xs_icmp_close, 0);
		xsSet(xsVar(0), xsID("close"), xsVar(7));
		xsVar(1) = xsNewHostFunction(xs_icmp_constructor, 1);
		xsVar(5) = xsNewObject();
		xsVar(2) = xsNewObject();
		xsVar(7) = xsNewHostFunction(onReadable, 1);
		xsSet(xsVar(2), xsID("onReadable"), xsVar(7));
		xsVar(7) = xsNewHostFunction(xs_native_ifinfo, 1);
		xsSet(xsVar(5), xsID("ifinfo"), xsVar(7));
		xsVar(7) = xsNewHostFunction(xs_native_multicast_join, 2);
		xsSet(xsVar(5), xsID("multicastJoin"), xsVar(7));
		xsVar(7) = xsNewHostFunction(xs_native_multicast_leave, 2);
		xsSet(xsVar(5), xsID("multicastLeave"), xsVar(7));

		for (round = 0; round < ROUNDS; round++) {
			int i, before = gReplies;
			xsVar(3) = xsNewHostInstance(xsVar(0));   /* as `new ICMP(options)` of a Moddable host class */
			xsCallFunction1(xsVar(1), xsVar(3), xsVar(2));
			for (i = 0; i < BURST; i++) {
				uint8_t request[8 + 16] = { 8, 0, 0, 0, 0x12, 0x34, 0, 0 };
				uint16_t sum;
				request[6] = (uint8_t)(round >> 8);
				request[7] = (uint8_t)(round * BURST + i);
				memset(request + 8, 'x', 16);
				sum = icmpChecksum(request, sizeof(request));
				request[2] = (uint8_t)(sum >> 8);
				request[3] = (uint8_t)sum;
				xsVar(4) = xsArrayBuffer(request, sizeof(request));
				xsCall2(xsVar(3), xsID("write"), xsVar(4), xsVar(8));
			}
			if (round & 1) {
				/* close once lwIP has posted the first reply's message, with the other replies still coming:
				 * the message then runs for a closed socket, whose record only the use count keeps */
				if (waitForMessage(2000)) {
					xsCall0(xsVar(3), xsID("close"));
					closedInFlight++;
					delivered += serviceMessages(the, 0);
				}
				else
					xsCall0(xsVar(3), xsID("close"));
			}
			else {
				while (gReplies - before < BURST && serviceMessages(the, 2000))
					;
				waited += BURST;
				xsCall0(xsVar(3), xsID("close"));
			}
			xsVar(3) = xsUndefined;
			xsVar(4) = xsInteger(0);
			xsVar(6) = xsCall1(xsVar(5), xsID("ifinfo"), xsVar(4));
			if (xsTypeOf(xsVar(6)) == xsReferenceType) {
				xsVar(7) = xsGet(xsVar(6), xsID("ip"));
				if (!strcmp(xsToString(xsVar(7)), "10.0.0.1"))
					ifinfoOK++;
			}
			xsCall2(xsVar(5), xsID("multicastJoin"), xsVar(8), xsVar(9));
			xsCall2(xsVar(5), xsID("multicastLeave"), xsVar(8), xsVar(9));
			multicastOK++;
			if (round % 16 == 0)
				xsCollectGarbage();
		}
		xsVar(7) = xsNewHostFunction(checkPcbs, 0);
		xsVar(7) = xsCallFunction0(xsVar(7), xsUndefined);
		ttlChecks = xsToInteger(xsVar(7));
		/* what is still posted for closed sockets runs now, against records the use count kept */
		while (serviceMessages(the, 100))
			;
		xsCollectGarbage();
	}
	xsCatch {
		fprintf(stderr, "lwip-threads: round %d: %s\n", round, xsToString(xsException));
		exit(2);
	}
	xsEndHost(machine);
	xsDeleteMachine(machine);
	printf("rounds %d waited %d replies %d bad %d closed-with-message-posted %d messages-after-close %d ifinfo %d multicast %d ttl %d/%d\n",
		ROUNDS, waited, gReplies, gBadReplies, closedInFlight, delivered, ifinfoOK, multicastOK, ttlChecks, TTL_CHECKS);
	return gReplies >= waited && !gBadReplies && ifinfoOK == ROUNDS && ttlChecks == TTL_CHECKS ? 0 : 1;
}
