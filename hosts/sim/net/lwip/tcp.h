/* xsnet simulator, lwIP backend: what tcp.c (lwIP's callbacks, the downcalls) and tcp-events.c (the events' way to the
 * loop) share: a connection's record and its events. */
#ifndef XSNET_LWIP_TCP_H
#define XSNET_LWIP_TCP_H
#include "lwip.h"

enum { kEventConnected, kEventReceived, kEventSent, kEventFailed };

typedef struct lwipTCPEvent lwipTCPEvent;
struct lwipTCPEvent {
	lwipTCPEvent* next;
	simNetTCP* tcp;
	int kind;
	int value;                 /* connected, sent: tcp_sndbuf; failed: err_t */
	simNetBuf* buf;            /* received: bytes, or NULL for the peer's FIN */
};

struct simNetTCP {
	atomic_int uses;           /* the XS side until closed, the tcpip side while lwIP may call back, each event */
	/* tcpip thread */
	struct tcp_pcb* pcb;       /* NULL once lwIP freed it (err) or the XS side closed */
	size_t inflight;           /* bytes handed to the XS side and not yet acknowledged by tcp_recved */
	/* XS thread */
	const simNetTCPUpcalls* up;
	void* owner;
	uint8_t closed;            /* closed or aborted by the owner: no upcall */
	unsigned pass;             /* the pump's pass that delivered its last event */
	size_t sndbuf;             /* tcp_sndbuf as last seen */
	lwipTCPEvent* early;       /* events waiting for tcpAdopt */
	lwipTCPEvent** earlyTail;
	uint32_t destination;      /* the address connected to, as the app gave it; 0: accepted */
	uint8_t known[2];          /* local, remote address read */
	uint32_t address[2];
	uint16_t port[2];
};

/* tcp-events.c */
void lwipTCPRelease(simNetTCP* tcp);                 /* let go of one use; the last frees the record */
/* Any thread (lwIP's callbacks; a downcall that fails at once): queue an event, which takes a use, for the loop. */
void lwipTCPPost(simNetTCP* tcp, int kind, int value, simNetBuf* buf);
void lwipTCPDeliver(lwipTCPEvent* e);               /* loop thread: the event's upcall (none once closed); frees it */
void lwipTCPRequeue(simNetTCP* tcp);                 /* loop thread, after tcpAdopt: the events that waited go first */

#endif
