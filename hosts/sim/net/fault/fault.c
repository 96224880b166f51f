/* xsnet simulator: the fault-injecting backend. It wraps another backend (POSIX) behind the same seam and
 * makes TCP connections misbehave the ways a real stack may, so that the bindings and the core above them are
 * tested against them. UDP and ICMP pass through unchanged.
 *
 * Chosen with the environment variable XSNET_SIM_FAULTS, a comma-separated list (net/net.c reads it):
 *   short        tcpWrite takes half of what is offered (at least 1 byte); the rest must be offered again
 *                after the writable upcall that follows
 *   storm[=K]    after each write that took bytes, K turns (default 3) in which tcpSndbuf is 0 and tcpWrite
 *                takes nothing: a storm of "not writable"; then a writable upcall
 *   delay[=MS]   every upcall (connected, received, writable, failed) comes MS ms late (default 2), in order
 *   split        received bytes come one byte per received upcall
 *   reset=N      after N bytes (received and sent, counted together) the connection is reset: the peer gets a
 *                RST and the owner failed(ERR_RST)
 *   no-connect   a connection never completes (no connected upcall, received bytes dropped) until closed
 * Example: XSNET_SIM_FAULTS=short,storm=2,delay=1 npx xsnet run app.ts. UDP and ICMP pass through unchanged. */
#include "fault.h"

faultConfig gFault;

/* ---- Listener: accepted connections are wrapped ---- */

typedef struct {
	simNetListener* inner;
	const simNetListenerUpcalls* up;
	void* owner;
} faultListener;

static void faultAccepted(void* owner, simNetTCP* tcp)
{
	faultListener* l = owner;
	simNetTCP* c = faultTCPWrap(tcp);
	if (!c) {
		gFault.inner->tcpClose(tcp, 0);
		return;
	}
	(*l->up->accepted)(l->owner, c);
}

static void faultBatch(void* owner)
{
	faultListener* l = owner;
	(*l->up->batch)(l->owner);
}

static const simNetListenerUpcalls gFaultListenerUpcalls = { faultAccepted, faultBatch };

static simNetListener* faultListen(uint32_t address, uint16_t port, const simNetListenerUpcalls* up, void* owner, int* error)
{
	faultListener* l = calloc(1, sizeof(faultListener));
	if (!l) {
		*error = ENOMEM;
		return NULL;
	}
	l->up = up;
	l->owner = owner;
	l->inner = gFault.inner->listen(address, port, &gFaultListenerUpcalls, l, error);
	if (!l->inner) {
		free(l);
		return NULL;
	}
	return (simNetListener*)l;
}

static void faultListenerAccepting(simNetListener* listener, int on)
{
	gFault.inner->listenerAccepting(((faultListener*)listener)->inner, on);
}

static int faultListenerAddress(simNetListener* listener, uint32_t* address, uint16_t* port)
{
	return gFault.inner->listenerAddress(((faultListener*)listener)->inner, address, port);
}

static void faultListenerClose(simNetListener* listener)
{
	faultListener* l = (faultListener*)listener;
	gFault.inner->listenerClose(l->inner);
	simDeferFree(l);
}

static simNetFunctions gFaultFunctions;

/* "short,storm=3,..." -> gFault; 0 and a message on stderr when a fault is unknown */
static int faultParse(const char* spec)
{
	char* copy = strdup(spec);
	char* save = NULL;
	char* item;
	int ok = 1;
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char* value = strchr(item, '=');
		long n = -1;
		if (value) {
			char* end;
			*value++ = 0;
			n = strtol(value, &end, 10);
			if (*end || n < 0)
				n = -2;
		}
		if (!strcmp(item, "short") && n == -1) gFault.shortWrites = 1;
		else if (!strcmp(item, "split") && n == -1) gFault.split = 1;
		else if (!strcmp(item, "no-connect") && n == -1) gFault.noConnect = 1;
		else if (!strcmp(item, "storm") && n >= -1) gFault.storm = n == -1 ? 3 : (int)n;
		else if (!strcmp(item, "delay") && n >= -1) gFault.delay = n == -1 ? 2 : (double)n;
		else if (!strcmp(item, "reset") && n > 0) gFault.reset = (size_t)n;
		else {
			fprintf(stderr, "xsnet-sim: XSNET_SIM_FAULTS: unknown fault \"%s%s%s\" (short, storm[=turns], "
				"delay[=ms], split, reset=bytes, no-connect)\n", item, value ? "=" : "", value ? value : "");
			ok = 0;
		}
	}
	free(copy);
	return ok;
}

const simNetFunctions* simNetFault(const simNetFunctions* inner, const char* spec)
{
	if (!faultParse(spec))
		return NULL;
	gFault.inner = inner;
	gFaultFunctions = *inner;           /* UDP, ICMP and the stack pass through */
	gFaultFunctions.name = "fault";
	gFaultFunctions.tcpConnect = faultTCPConnect;
	gFaultFunctions.tcpAdopt = faultTCPAdopt;
	gFaultFunctions.tcpWrite = faultTCPWrite;
	gFaultFunctions.tcpSndbuf = faultTCPSndbuf;
	gFaultFunctions.tcpQueued = faultTCPQueued;
	gFaultFunctions.tcpRecved = faultTCPRecved;
	gFaultFunctions.tcpClose = faultTCPClose;
	gFaultFunctions.tcpAbort = faultTCPAbort;
	gFaultFunctions.tcpAddress = faultTCPAddress;
	gFaultFunctions.tcpTTL = faultTCPTTL;
	gFaultFunctions.tcpOption = faultTCPOption;
	gFaultFunctions.listen = faultListen;
	gFaultFunctions.listenerAccepting = faultListenerAccepting;
	gFaultFunctions.listenerAddress = faultListenerAddress;
	gFaultFunctions.listenerClose = faultListenerClose;
	return &gFaultFunctions;
}
