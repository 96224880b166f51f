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
 * Example: XSNET_SIM_FAULTS=short,storm=2,delay=1 npx xsnet run app.ts */
#include "net/backends.h"
#include "loop.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	const simNetFunctions* inner;
	uint8_t shortWrites, split, noConnect;
	int storm;                 /* turns */
	double delay;              /* ms */
	size_t reset;              /* bytes; 0: never */
} gFault;

enum { kFaultConnected, kFaultReceived, kFaultWritable, kFaultFailed };

typedef struct faultEvent faultEvent;
struct faultEvent {
	faultEvent* next;
	double due;
	int kind;
	simNetBuf* buf;            /* received: held; NULL: the peer's FIN */
	int error;
};

typedef struct {
	simNetTCP* inner;
	const simNetTCPUpcalls* up;
	void* owner;
	uint8_t adopted, closed, connected, reset;
	int storm;                 /* storm turns left */
	size_t bytes;              /* received and sent, for reset=N */
	faultEvent* events;        /* upcalls due later, in order */
	faultEvent** eventsTail;
	simTimer later;            /* delivers `events` */
	simTimer tick;             /* storm turns, and the writable upcall after a short write */
} faultTCP;

static const simNetTCPUpcalls gFaultTCPUpcalls;

static void faultDeliver(faultTCP* c, int kind, simNetBuf* buf, int error)
{
	if (c->closed) {
		if (buf)
			simNetBufFree(buf);
		return;
	}
	switch (kind) {
	case kFaultConnected:
		c->connected = 1;
		(*c->up->connected)(c->owner);
		break;
	case kFaultReceived:
		if (buf && gFault.split && buf->length > 1) {
			size_t i;
			for (i = 0; i < buf->length && !c->closed; i++) {
				simNetBuf* one = simNetBufNew(buf->data + i, 1);
				if (one)
					(*c->up->received)(c->owner, one);
			}
			simNetBufFree(buf);
		}
		else
			(*c->up->received)(c->owner, buf);
		break;
	case kFaultWritable:
		(*c->up->writable)(c->owner, c->storm ? 0 : gFault.inner->tcpSndbuf(c->inner));
		break;
	case kFaultFailed:
		(*c->up->failed)(c->owner, error);
		break;
	}
}

static void faultLater(simTimer* timer)
{
	faultTCP* c = timer->data;
	double now = simNow();
	while (c->events && c->events->due <= now && !c->closed) {
		faultEvent* e = c->events;
		c->events = e->next;
		if (!c->events)
			c->eventsTail = &c->events;
		faultDeliver(c, e->kind, e->buf, e->error);
		free(e);
	}
	if (c->events && !c->closed)
		simTimerSchedule(&c->later, c->events->due - now);
}

/* An upcall now, or `delay` ms later behind those already waiting; `later`: from the loop in any case. */
static void faultUpcall(faultTCP* c, int kind, simNetBuf* buf, int error, int later)
{
	faultEvent* e;
	if (!gFault.delay && !later && !c->events) {
		faultDeliver(c, kind, buf, error);
		return;
	}
	if (buf) {
		simNetBuf* held = simNetBufHold(buf);
		if (held != buf)
			simNetBufFree(buf);
		buf = held;
	}
	e = calloc(1, sizeof(faultEvent));
	if (!e) {
		free(e);
		if (buf)
			simNetBufFree(buf);
		return;
	}
	e->due = simNow() + gFault.delay;
	e->kind = kind;
	e->buf = buf;
	e->error = error;
	*c->eventsTail = e;
	c->eventsTail = &e->next;
	if (!c->later.scheduled)
		simTimerSchedule(&c->later, gFault.delay);
}

static void faultFree(faultTCP* c)
{
	faultEvent* e = c->events;
	while (e) {
		faultEvent* next = e->next;
		if (e->buf)
			simNetBufFree(e->buf);
		free(e);
		e = next;
	}
	c->events = NULL;
	simTimerCancel(&c->later);
	simTimerCancel(&c->tick);
	simDeferFree(c);
}

/* reset=N: count `n` bytes; 1 when the connection was reset now */
static int faultCount(faultTCP* c, size_t n)
{
	c->bytes += n;
	if (!gFault.reset || c->reset || c->bytes < gFault.reset)
		return 0;
	c->reset = 1;
	gFault.inner->tcpAbort(c->inner);
	c->inner = NULL;
	faultUpcall(c, kFaultFailed, NULL, SIM_ERR_RST, 1);
	return 1;
}

static void faultTick(simTimer* timer)
{
	faultTCP* c = timer->data;
	if (c->storm && --c->storm) {
		simTimerSchedule(&c->tick, 0);    /* one more turn of the storm */
		return;
	}
	if (c->inner)
		faultUpcall(c, kFaultWritable, NULL, 0, 0);
}

static faultTCP* faultWrap(simNetTCP* inner)
{
	faultTCP* c = calloc(1, sizeof(faultTCP));
	if (!c)
		return NULL;
	c->inner = inner;
	c->eventsTail = &c->events;
	c->later.callback = faultLater;
	c->later.data = c;
	c->tick.callback = faultTick;
	c->tick.data = c;
	return c;
}

/* ---- upcalls from the inner backend ---- */

static void faultConnected(void* owner)
{
	faultTCP* c = owner;
	if (!gFault.noConnect)
		faultUpcall(c, kFaultConnected, NULL, 0, 0);
}

static void faultReceived(void* owner, simNetBuf* buf)
{
	faultTCP* c = owner;
	if (gFault.noConnect && !c->connected) {
		if (buf)
			simNetBufFree(buf);
		return;
	}
	if (buf && gFault.reset && c->bytes + buf->length >= gFault.reset) {
		/* what comes before the reset is still delivered */
		size_t keep = gFault.reset - c->bytes;
		simNetBuf* part = keep ? simNetBufNew(buf->data, keep) : NULL;
		simNetBufFree(buf);
		if (part)
			faultUpcall(c, kFaultReceived, part, 0, 0);
		if (!c->closed)
			faultCount(c, keep);
		return;
	}
	if (buf)
		c->bytes += buf->length;
	faultUpcall(c, kFaultReceived, buf, 0, 0);
}

static void faultWritable(void* owner, size_t count)
{
	faultTCP* c = owner;
	if (!c->storm)
		faultUpcall(c, kFaultWritable, NULL, 0, 0);
}

static void faultFailed(void* owner, int error)
{
	faultTCP* c = owner;
	faultUpcall(c, kFaultFailed, NULL, error, 0);
}

static const simNetTCPUpcalls gFaultTCPUpcalls = { faultConnected, faultReceived, faultWritable, faultFailed };

/* ---- TCP downcalls ---- */

static simNetTCP* faultTCPConnect(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error)
{
	faultTCP* c = faultWrap(NULL);
	if (!c) {
		*error = ENOMEM;
		return NULL;
	}
	c->up = up;
	c->owner = owner;
	c->adopted = 1;
	c->inner = gFault.inner->tcpConnect(address, port, &gFaultTCPUpcalls, c, error);
	if (!c->inner) {
		free(c);
		return NULL;
	}
	return (simNetTCP*)c;
}

static void faultTCPAdopt(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner)
{
	faultTCP* c = (faultTCP*)tcp;
	c->up = up;
	c->owner = owner;
	if (!c->adopted) {
		c->adopted = 1;
		c->connected = 1;
		if (c->inner)
			gFault.inner->tcpAdopt(c->inner, &gFaultTCPUpcalls, c);
	}
}

static size_t faultTCPSndbuf(simNetTCP* tcp)
{
	faultTCP* c = (faultTCP*)tcp;
	return (!c->inner || c->storm) ? 0 : gFault.inner->tcpSndbuf(c->inner);
}

static size_t faultTCPWrite(simNetTCP* tcp, const void* data, size_t length)
{
	faultTCP* c = (faultTCP*)tcp;
	size_t offered = length, taken;
	if (!c->inner || c->storm || !length)
		return 0;
	if (gFault.shortWrites && length > 1)
		length = (length + 1) / 2;
	taken = gFault.inner->tcpWrite(c->inner, data, length);
	if (taken && gFault.storm) {
		c->storm = gFault.storm;
		simTimerSchedule(&c->tick, 0);
	}
	else if (taken < offered && !c->tick.scheduled)
		simTimerSchedule(&c->tick, 0);    /* a writable upcall follows a short write */
	faultCount(c, taken);
	return taken;
}

static size_t faultTCPQueued(simNetTCP* tcp)
{
	faultTCP* c = (faultTCP*)tcp;
	return c->inner ? gFault.inner->tcpQueued(c->inner) : 0;
}

static void faultTCPRecved(simNetTCP* tcp, size_t length)
{
	faultTCP* c = (faultTCP*)tcp;
	if (c->inner)
		gFault.inner->tcpRecved(c->inner, length);
}

static void faultTCPClose(simNetTCP* tcp, int flush)
{
	faultTCP* c = (faultTCP*)tcp;
	c->closed = 1;
	if (c->inner)
		gFault.inner->tcpClose(c->inner, flush);
	faultFree(c);
}

static void faultTCPAbort(simNetTCP* tcp)
{
	faultTCP* c = (faultTCP*)tcp;
	c->closed = 1;
	if (c->inner)
		gFault.inner->tcpAbort(c->inner);
	faultFree(c);
}

static int faultTCPAddress(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port)
{
	faultTCP* c = (faultTCP*)tcp;
	return c->inner ? gFault.inner->tcpAddress(c->inner, remote, address, port) : -1;
}

static int faultTCPTTL(simNetTCP* tcp, int ttl)
{
	faultTCP* c = (faultTCP*)tcp;
	return c->inner ? gFault.inner->tcpTTL(c->inner, ttl) : -EBADF;
}

static void faultTCPOption(simNetTCP* tcp, int option, int value)
{
	faultTCP* c = (faultTCP*)tcp;
	if (c->inner)
		gFault.inner->tcpOption(c->inner, option, value);
}

/* ---- Listener: accepted connections are wrapped ---- */

typedef struct {
	simNetListener* inner;
	const simNetListenerUpcalls* up;
	void* owner;
} faultListener;

static void faultAccepted(void* owner, simNetTCP* tcp)
{
	faultListener* l = owner;
	faultTCP* c = faultWrap(tcp);
	if (!c) {
		gFault.inner->tcpClose(tcp, 0);
		return;
	}
	(*l->up->accepted)(l->owner, (simNetTCP*)c);
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
