/* xsnet simulator, fault-injecting backend: TCP connections wrapped around the inner backend's, with the faults
 * of XSNET_SIM_FAULTS (fault.c lists them): short writes, storms of "not writable", late upcalls, 1-byte receive
 * events, a reset after N bytes, a connect that never completes. */
#include "fault.h"

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

simNetTCP* faultTCPConnect(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error)
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

void faultTCPAdopt(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner)
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

size_t faultTCPSndbuf(simNetTCP* tcp)
{
	faultTCP* c = (faultTCP*)tcp;
	return (!c->inner || c->storm) ? 0 : gFault.inner->tcpSndbuf(c->inner);
}

size_t faultTCPWrite(simNetTCP* tcp, const void* data, size_t length)
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

size_t faultTCPQueued(simNetTCP* tcp)
{
	faultTCP* c = (faultTCP*)tcp;
	return c->inner ? gFault.inner->tcpQueued(c->inner) : 0;
}

void faultTCPRecved(simNetTCP* tcp, size_t length)
{
	faultTCP* c = (faultTCP*)tcp;
	if (c->inner)
		gFault.inner->tcpRecved(c->inner, length);
}

void faultTCPClose(simNetTCP* tcp, int flush)
{
	faultTCP* c = (faultTCP*)tcp;
	c->closed = 1;
	if (c->inner)
		gFault.inner->tcpClose(c->inner, flush);
	faultFree(c);
}

void faultTCPAbort(simNetTCP* tcp)
{
	faultTCP* c = (faultTCP*)tcp;
	c->closed = 1;
	if (c->inner)
		gFault.inner->tcpAbort(c->inner);
	faultFree(c);
}

int faultTCPAddress(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port)
{
	faultTCP* c = (faultTCP*)tcp;
	return c->inner ? gFault.inner->tcpAddress(c->inner, remote, address, port) : -1;
}

int faultTCPTTL(simNetTCP* tcp, int ttl)
{
	faultTCP* c = (faultTCP*)tcp;
	return c->inner ? gFault.inner->tcpTTL(c->inner, ttl) : -EBADF;
}

void faultTCPOption(simNetTCP* tcp, int option, int value)
{
	faultTCP* c = (faultTCP*)tcp;
	if (c->inner)
		gFault.inner->tcpOption(c->inner, option, value);
}

simNetTCP* faultTCPWrap(simNetTCP* inner)
{
	return (simNetTCP*)faultWrap(inner);
}
