/* xsnet simulator: the record behind an embedded:io/socket/tcp instance, shared by tcp.c (the class: constructor,
 * methods, getters, `from`) and tcpio.c (its side of the event loop: receiving, flushing, delivering callbacks). */
#ifndef XSNET_SIM_TCP_H
#define XSNET_SIM_TCP_H
#include "sim.h"

/* What the `trigger` timer delivers on a later turn (lwIP's tcpTrigger bits). */
enum {
	kTCPWritable = 1 << 0,     /* the writable count is back: bytes handed over count no more */
	kTCPReadable = 1 << 1,     /* bytes taken over with `from` wait */
	kTCPError = 1 << 2,        /* the connection failed or the peer closed */
};

typedef struct simTCP simTCP;
struct simTCP {
	simWatch watch;            /* first: the loop hands us this pointer */
	xsMachine* the;            /* the machine of its instance */
	xsSlot object;             /* the JS instance (valid while `attached`) */
	xsSlot onReadable, onWritable, onError;
	uint8_t hasReadable, hasWritable, hasError;
	uint8_t attached;          /* the instance's host data points here: until close(), `from` or GC */
	uint8_t remembered;        /* object kept alive: connected or connecting, onError not delivered yet */
	uint8_t referenced;        /* counted in simRef */
	uint8_t connecting;
	uint8_t connected;         /* lwIP's `ready`: write() allowed */
	uint8_t dead;              /* the connection failed or the peer closed: onError due */
	uint8_t finished;          /* onError delivered (or due to nobody) */
	uint8_t eof;               /* the peer sent FIN (while lingering: flush on EPOLLOUT only) */
	uint8_t number;            /* format "number" */
	uint8_t lingering;         /* closed with output still queued: flushing, then close(2) */
	uint8_t reading;           /* inside onReadable, `pending` points into the shared buffer */
	uint8_t triggered;         /* kTCP* bits due on the trigger timer */
	int busy;                  /* C frames using this record: it is freed only when none is left */
	int error;                 /* err_t for onError */
	uint8_t* pending;          /* received bytes not yet read */
	size_t pendingLength;
	uint8_t* pendingOwned;     /* malloc'd copy when the app left bytes unread */
	uint8_t* out;              /* output the kernel did not take yet */
	size_t outOffset, outLength;
	size_t handed;             /* bytes the kernel took this turn: still counted against the writable count */
	simTimer trigger;          /* delivers kTCP* bits outside of read(), write() and the constructor */
	char remoteAddress[16], localAddress[16];
	int remotePort, localPort;
};

/* ---- tcpio.c ---- */
/* Close the descriptor and stop counting it as pending work (no XS call: also used by the destructor). */
void simTCPRelease(simTCP* tcp);
/* Let the instance be collected (it was remembered while connecting or connected). */
void simTCPForget(xsMachine* the, simTCP* tcp);
void simTCPDropPending(simTCP* tcp);
/* Free the record (after the current batch of events). */
void simTCPFree(simTCP* tcp);
/* End a C frame that used the record (`busy`); frees it when nothing refers to it any more. */
void simTCPLeave(simTCP* tcp);
/* Deliver kTCP* `bits` on a later turn (the trigger timer). */
void simTCPTrigger(simTCP* tcp, uint8_t bits);
/* The writable count: what write() takes now. */
size_t simTCPWritable(simTCP* tcp);
/* The epoll events the record needs now; simTCPUpdateInterest applies them. */
uint32_t simTCPInterest(simTCP* tcp);
void simTCPUpdateInterest(simTCP* tcp);
/* Local and remote ends from the descriptor, when known. */
void simTCPAddresses(simTCP* tcp);
/* The connection is over with lwIP err_t `error`: onError comes from the loop. */
void simTCPFail(simTCP* tcp, int error);
void simTCPDeliver(simTimer* timer);
void simTCPEvents(simWatch* watch, uint32_t events);

#endif
