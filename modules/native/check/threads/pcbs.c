/* ttl() and local() of modules/native/lwip/pcb.c on real lwIP pcbs held as Moddable's socket records hold them
 * (its modules/io/socket/lwip/tcp.c, udp.c: the pcb first), called from the XS thread while lwIP runs its tcpip
 * thread (host.c). A TCP client bound to IP_ADDR_ANY:0 and connected as Moddable's constructor does, to a listener
 * on the netif's own address (lwIP's loopback); the connection it accepted; UDP sockets bound to IP_ADDR_ANY, to
 * port 0 and to a port named. Each local() read is printed beside what lwIP's pcb says (read under the core lock)
 * and, for the client, what the accepted pcb sees as its peer: tests/native-lwip-threads.test.js compares them.
 * Then the ends of a record: the pcb freed by a reset after Moddable's class removed its error callback (the FIN
 * path: `skt` stays set, so local() and ttl() must not read it; under AddressSanitizer a read is a
 * heap-use-after-free), `skt` cleared by the error callback, the host data cleared by close(). */
#include "runtime.h"
#include "lwip/tcpip.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/priv/tcp_priv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UDP_PORT_NAMED 40001

/* Stand-ins for the host records of Moddable's lwIP TCP and UDP classes: the pcb first, then the class's own. */
typedef struct {
	struct tcp_pcb* skt;
	xsSlot obj;
	void* buffers;
} ModdableTCPRecord;
typedef struct {
	struct udp_pcb* skt;
	void* packets;
} ModdableUDPRecord;

static ModdableTCPRecord gAccepted;   /* lwIP's thread sets it, under the core lock */

/* as Moddable's tcpError: lwIP has freed the pcb. lwIP's thread. */
static void onError(void* arg, err_t err)
{
	((ModdableTCPRecord*)arg)->skt = NULL;
}

static err_t onConnected(void* arg, struct tcp_pcb* pcb, err_t err)
{
	return ERR_OK;
}

static err_t onAccept(void* arg, struct tcp_pcb* pcb, err_t err)
{
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	gAccepted.skt = pcb;
	tcp_arg(pcb, &gAccepted);
	tcp_err(pcb, onError);
	return ERR_OK;
}

/* the FIN path of Moddable's class (removeTCPCallbacks, `skt` kept), then the peer's reset frees the pcb */
static void removeCallbacks(void* arg)
{
	struct tcp_pcb* pcb = ((ModdableTCPRecord*)arg)->skt;
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
}

static void abortPcb(void* arg)
{
	tcp_abort(((ModdableTCPRecord*)arg)->skt);   /* its error callback clears the record, as Moddable's */
}

static int listed(struct tcp_pcb* pcb)
{
	struct tcp_pcb* p;
	for (p = tcp_active_pcbs; p; p = p->next) {
		if (p == pcb)
			return 1;
	}
	return 0;
}

/* "port address" of an ip_addr_t and port, as local() reports them */
static void formatEnd(char* out, size_t size, const ip_addr_t* address, u16_t port)
{
	char text[IPADDR_STRLEN_MAX];
	ipaddr_ntoa_r(address, text, sizeof(text));
	snprintf(out, size, "%s:%u", text, (unsigned)port);
}

/* The helpers below run in checkPcbs's frame: xsVar(0..3) are its sockets, xsVar(4..6) their scratch. */
#define SCRATCH 4

/* local(socket, udp) through the device C, as "a.b.c.d:port" or "undefined" */
static void callLocal(xsMachine* the, xsSlot* socket, int udp, char* out, size_t size)
{
	int port;
	xsVar(SCRATCH) = xsNewHostFunction(xs_native_local, 2);
	xsVar(SCRATCH + 1) = udp ? xsTrue : xsFalse;
	xsVar(SCRATCH + 2) = xsCallFunction2(xsVar(SCRATCH), xsUndefined, *socket, xsVar(SCRATCH + 1));
	if (xsTypeOf(xsVar(SCRATCH + 2)) == xsUndefinedType) {
		snprintf(out, size, "undefined");
		return;
	}
	xsVar(SCRATCH) = xsGetAt(xsVar(SCRATCH + 2), xsInteger(1));
	xsVar(SCRATCH + 1) = xsGetAt(xsVar(SCRATCH + 2), xsInteger(0));
	port = xsToInteger(xsVar(SCRATCH + 1));
	snprintf(out, size, "%s:%d", xsToString(xsVar(SCRATCH)), port);
}

/* ttl(socket[, value]) through the device C (value < 0: none): the TTL, or the message it threw */
static void callTTL(xsMachine* the, xsSlot* socket, int value, char* out, size_t size)
{
	xsTry {
		xsVar(SCRATCH) = xsNewHostFunction(xs_native_ttl, 2);
		xsVar(SCRATCH + 1) = value < 0 ? xsUndefined : xsInteger(value);
		xsVar(SCRATCH + 1) = xsCallFunction2(xsVar(SCRATCH), xsUndefined, *socket, xsVar(SCRATCH + 1));
		snprintf(out, size, "%d", xsToInteger(xsVar(SCRATCH + 1)));
	}
	xsCatch {
		xsVar(SCRATCH + 1) = xsException;
		snprintf(out, size, "%s", xsToString(xsVar(SCRATCH + 1)));
	}
}

/* *slot = a host object holding `record`, as Moddable's socket instances; a TCP one has remoteAddress */
static void newSocket(xsMachine* the, xsSlot* slot, void* record, int tcp)
{
	*slot = xsNewHostObject(NULL);
	xsSetHostData(*slot, record);
	if (tcp) {
		xsVar(SCRATCH) = xsString("10.0.0.1");
		xsSet(*slot, xsID("remoteAddress"), xsVar(SCRATCH));
	}
}

/* ttl() of a TCP and a UDP socket: the default, set and read back, the multicast TTL, a refused value. Returns the
 * number of checks that held (TTL_CHECKS when all did). */
static int checkTTL(xsMachine* the, xsSlot* tcpSocket, ModdableTCPRecord* tcp, xsSlot* udpSocket, ModdableUDPRecord* udp)
{
	char text[64];
	int held = 0;
	callTTL(the, tcpSocket, -1, text, sizeof(text));
	held += atoi(text) == IP_DEFAULT_TTL;
	callTTL(the, tcpSocket, 7, text, sizeof(text));
	held += atoi(text) == 7;
	callTTL(the, udpSocket, 1, text, sizeof(text));
	held += atoi(text) == 1;
	callTTL(the, udpSocket, -1, text, sizeof(text));
	held += atoi(text) == 1;
	LOCK_TCPIP_CORE();
	held += udp_get_multicast_ttl(udp->skt) == 1 && udp->skt->ttl == 1 && tcp->skt->ttl == 7;
	UNLOCK_TCPIP_CORE();
	callTTL(the, udpSocket, 256, text, sizeof(text));
	held += !strcmp(text, "RangeError: invalid ttl");
	return held;
}

/* A host function: prints the "pcb ..." lines, returns the number of ttl() checks that held. */
void checkPcbs(xsMachine* the)
{
	ModdableTCPRecord client = { 0 };
	ModdableUDPRecord udp = { 0 }, udpNamed = { 0 };
	struct tcp_pcb* listener;
	ip_addr_t address;
	u16_t listenPort;
	char read[64], lwip[64], peer[64], ttl[64];
	int i, ttlHeld, kept;

	xsVars(SCRATCH + 3);
	IP_ADDR4(&address, 10, 0, 0, 1);
	LOCK_TCPIP_CORE();
	listener = tcp_new();
	tcp_bind(listener, &address, 0);
	listenPort = listener->local_port;
	listener = tcp_listen(listener);
	tcp_accept(listener, onAccept);
	client.skt = tcp_new();   /* as Moddable's constructor: bound to every address, then connected */
	tcp_bind(client.skt, IP_ADDR_ANY, 0);
	tcp_arg(client.skt, &client);
	tcp_err(client.skt, onError);
	tcp_connect(client.skt, &address, listenPort, onConnected);
	udp.skt = udp_new();
	udp_bind(udp.skt, IP_ADDR_ANY, 0);
	udpNamed.skt = udp_new();
	udp_bind(udpNamed.skt, IP_ADDR_ANY, UDP_PORT_NAMED);
	UNLOCK_TCPIP_CORE();

	newSocket(the, &xsVar(0), &client, 1);
	newSocket(the, &xsVar(2), &udp, 0);
	newSocket(the, &xsVar(3), &udpNamed, 0);

	/* connecting: tcp_connect() has set the pcb's local end */
	callLocal(the, &xsVar(0), 0, read, sizeof(read));
	LOCK_TCPIP_CORE();
	formatEnd(lwip, sizeof(lwip), &client.skt->local_ip, client.skt->local_port);
	UNLOCK_TCPIP_CORE();
	printf("pcb local connecting %s lwip %s\n", read, lwip);

	for (i = 0; i < 2000; i++) {
		int done;
		LOCK_TCPIP_CORE();
		done = gAccepted.skt && client.skt && client.skt->state == ESTABLISHED;
		UNLOCK_TCPIP_CORE();
		if (done)
			break;
		usleep(1000);
	}
	newSocket(the, &xsVar(1), &gAccepted, 1);
	callLocal(the, &xsVar(0), 0, read, sizeof(read));
	LOCK_TCPIP_CORE();
	formatEnd(lwip, sizeof(lwip), &client.skt->local_ip, client.skt->local_port);
	if (gAccepted.skt)
		formatEnd(peer, sizeof(peer), &gAccepted.skt->remote_ip, gAccepted.skt->remote_port);
	else
		snprintf(peer, sizeof(peer), "none");
	UNLOCK_TCPIP_CORE();
	printf("pcb local client %s lwip %s peer %s\n", read, lwip, peer);
	callLocal(the, &xsVar(1), 0, read, sizeof(read));
	LOCK_TCPIP_CORE();
	if (gAccepted.skt)
		formatEnd(lwip, sizeof(lwip), &gAccepted.skt->local_ip, gAccepted.skt->local_port);
	UNLOCK_TCPIP_CORE();
	printf("pcb local accepted %s lwip %s listener %u\n", read, lwip, (unsigned)listenPort);
	callLocal(the, &xsVar(2), 1, read, sizeof(read));
	LOCK_TCPIP_CORE();
	formatEnd(lwip, sizeof(lwip), &udp.skt->local_ip, udp.skt->local_port);
	UNLOCK_TCPIP_CORE();
	printf("pcb local udp %s lwip %s\n", read, lwip);
	callLocal(the, &xsVar(3), 1, read, sizeof(read));
	LOCK_TCPIP_CORE();
	formatEnd(lwip, sizeof(lwip), &udpNamed.skt->local_ip, udpNamed.skt->local_port);
	UNLOCK_TCPIP_CORE();
	printf("pcb local udp-named %s lwip %s named %d\n", read, lwip, UDP_PORT_NAMED);

	ttlHeld = checkTTL(the, &xsVar(0), &client, &xsVar(2), &udp);

	/* the FIN path: the class has removed its callbacks and keeps `skt`; the peer's reset then frees the pcb */
	tcpip_callback(removeCallbacks, &client);
	tcpip_callback(abortPcb, &gAccepted);
	for (i = 0; i < 2000; i++) {
		int gone;
		LOCK_TCPIP_CORE();
		gone = !gAccepted.skt && !listed(client.skt);
		UNLOCK_TCPIP_CORE();
		if (gone)
			break;
		usleep(1000);
	}
	LOCK_TCPIP_CORE();
	kept = client.skt != NULL;
	UNLOCK_TCPIP_CORE();
	callLocal(the, &xsVar(0), 0, read, sizeof(read));
	callTTL(the, &xsVar(0), -1, ttl, sizeof(ttl));
	printf("pcb gone reset %s %s kept %d\n", read, ttl, kept);
	/* the error callback cleared `skt` (the accepted connection, aborted) */
	callLocal(the, &xsVar(1), 0, read, sizeof(read));
	callTTL(the, &xsVar(1), 5, ttl, sizeof(ttl));
	printf("pcb gone error %s %s\n", read, ttl);
	/* close(): Moddable's clears the host data, then removes the pcb */
	xsSetHostData(xsVar(2), NULL);
	callLocal(the, &xsVar(2), 1, read, sizeof(read));
	callTTL(the, &xsVar(2), -1, ttl, sizeof(ttl));
	printf("pcb gone closed %s %s\n", read, ttl);

	xsSetHostData(xsVar(0), NULL);
	xsSetHostData(xsVar(1), NULL);
	xsSetHostData(xsVar(3), NULL);
	LOCK_TCPIP_CORE();
	tcp_close(listener);
	udp_remove(udp.skt);
	udp_remove(udpNamed.skt);
	UNLOCK_TCPIP_CORE();
	xsResult = xsInteger(ttlHeld);
}
