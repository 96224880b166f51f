/* xsnet simulator, lwIP backend: how a TCP connection's events (connected, received, sent, failed: lwIP's callbacks
 * on the tcpip thread) reach the loop, where they become the seam's upcalls: one ordered queue, drained from the loop
 * at most one event per connection per pass; events of an accepted connection before tcpAdopt wait in `early`. */
#include "tcp.h"
#include <pthread.h>

void lwipTCPRelease(simNetTCP* tcp)
{
	if (lwipRelease(&tcp->uses)) {
		while (tcp->early) {
			lwipTCPEvent* e = tcp->early;
			tcp->early = e->next;
			if (e->buf)
				simNetBufFree(e->buf);
			free(e);
		}
		free(tcp);
	}
}

/* ---- loop thread: events become upcalls ---- */

void lwipTCPDeliver(lwipTCPEvent* e)
{
	simNetTCP* tcp = e->tcp;
	if (tcp->closed) {
		if (e->buf)
			simNetBufFree(e->buf);
	}
	else switch (e->kind) {
	case kEventConnected:
		tcp->sndbuf = e->value;
		(*tcp->up->connected)(tcp->owner);
		break;
	case kEventReceived:
		(*tcp->up->received)(tcp->owner, e->buf);
		break;
	case kEventSent:
		tcp->sndbuf = e->value;
		(*tcp->up->writable)(tcp->owner, e->value);
		break;
	case kEventFailed:
		(*tcp->up->failed)(tcp->owner, e->value);
		break;
	}
	free(e);
	lwipTCPRelease(tcp);
}

static void lwipTCPEventRun(void* data)
{
	lwipTCPEvent* e = data;
	simNetTCP* tcp = e->tcp;
	if (simTracing())
		fprintf(stderr, "[lwip tcp %p] event %d %d%s%s\n", (void*)tcp, e->kind, e->buf ? (int)e->buf->length : e->value,
			tcp->up ? "" : " (not adopted)", tcp->closed ? " (closed)" : "");
	if (!tcp->closed && (!tcp->up || tcp->early)) {
		e->next = NULL;          /* not adopted yet, or earlier events wait: keep the order */
		if (!tcp->early)
			tcp->earlyTail = &tcp->early;
		*tcp->earlyTail = e;
		tcp->earlyTail = &e->next;
		return;
	}
	lwipTCPDeliver(e);
}

/* The events of every connection go through one queue, in order. The pump delivers them from the loop, at most one
 * per connection per pass: a second event of the same connection waits for the next pass of the loop (a zero-delay
 * timer), so that what the bindings schedule for a turn (onWritable after an accept, the owner's reply to received
 * bytes) comes between two of lwIP's callbacks, as on POSIX, where each read is one turn. */
static pthread_mutex_t gQueueLock = PTHREAD_MUTEX_INITIALIZER;
static lwipTCPEvent* gQueue = NULL;
static lwipTCPEvent** gQueueTail = &gQueue;
static int gPumping = 0;              /* a pump is posted or scheduled (under gQueueLock) */
static unsigned gPass = 0;            /* loop thread */
static void lwipTCPPumpLater(simTimer* timer);
static simTimer gPumpTimer = { NULL, 0, lwipTCPPumpLater, NULL, 0 };

static void lwipTCPPump(void* data)
{
	unsigned pass = ++gPass;
	for (;;) {
		lwipTCPEvent* e;
		pthread_mutex_lock(&gQueueLock);
		e = gQueue;
		if (!e) {
			gPumping = 0;
			pthread_mutex_unlock(&gQueueLock);
			return;
		}
		if (e->tcp->pass == pass) {
			pthread_mutex_unlock(&gQueueLock);
			simTimerSchedule(&gPumpTimer, 0);   /* the next pass; gPumping stays set */
			return;
		}
		gQueue = e->next;
		if (!gQueue)
			gQueueTail = &gQueue;
		pthread_mutex_unlock(&gQueueLock);
		e->tcp->pass = pass;
		lwipTCPEventRun(e);
	}
}

static void lwipTCPPumpLater(simTimer* timer)
{
	lwipTCPPump(NULL);
}

/* Loop thread: the events that waited for tcpAdopt go first, and the pump runs on a later pass. */
void lwipTCPRequeue(simNetTCP* tcp)
{
	lwipTCPEvent* last = tcp->early;
	while (last->next)
		last = last->next;
	pthread_mutex_lock(&gQueueLock);
	last->next = gQueue;
	if (!gQueue)
		gQueueTail = &last->next;
	gQueue = tcp->early;
	tcp->early = NULL;
	gPumping = 1;
	pthread_mutex_unlock(&gQueueLock);
	simTimerSchedule(&gPumpTimer, 0);
}

void lwipTCPPost(simNetTCP* tcp, int kind, int value, simNetBuf* buf)
{
	int post;
	lwipTCPEvent* e = calloc(1, sizeof(lwipTCPEvent));
	if (!e) {
		fprintf(stderr, "xsnet-sim: out of memory in lwIP's thread\n");
		abort();
	}
	e->tcp = tcp;
	e->kind = kind;
	e->value = value;
	e->buf = buf;
	lwipRetain(&tcp->uses);
	pthread_mutex_lock(&gQueueLock);
	*gQueueTail = e;
	gQueueTail = &e->next;
	post = !gPumping;
	gPumping = 1;
	pthread_mutex_unlock(&gQueueLock);
	if (post)
		lwipPost(lwipTCPPump, NULL);
}

