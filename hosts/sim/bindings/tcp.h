/* xsnet simulator: the record behind an embedded:io/socket/tcp instance, shared by tcp.c (the class: constructor,
 * methods, getters, `from`) and tcp-events.c (the seam's upcalls, and the callbacks delivered on later turns). */
#ifndef XSNET_SIM_TCP_H
#define XSNET_SIM_TCP_H
#include "bindings.h"

/* The state: one of */
enum {
	kTCPIdle = 0,              /* `new TCP()`: no connection yet (Listener.read() fills it) */
	kTCPConnecting,
	kTCPConnected,             /* lwIP's `ready`: write() allowed */
	kTCPEnded,                 /* the connection failed or the peer closed: onError due */
	kTCPFinished,              /* onError delivered (or due to nobody) */
};

/* Flag bits */
enum {
	kTCPHasReadable = 1 << 0,
	kTCPHasWritable = 1 << 1,
	kTCPHasError = 1 << 2,
	kTCPAttached = 1 << 3,     /* the instance's host data points here: until close(), `from` or GC */
	kTCPRemembered = 1 << 4,   /* instance kept alive and counted as pending work: connecting or connected, onError not delivered */
	kTCPNumber = 1 << 5,       /* format "number" */
	kTCPReading = 1 << 6,      /* inside onReadable, `pending` points into the backend's buffer */
	kTCPLingering = 1 << 7,    /* closed with bytes the backend did not take yet: offered again, then closed */
};

/* What the `trigger` timer delivers on a later turn (lwIP's tcpTrigger bits). */
enum {
	kTCPWritable = 1 << 0,     /* the writable count is back: bytes handed over count no more */
	kTCPReadable = 1 << 1,     /* bytes taken over with `from` wait */
	kTCPError = 1 << 2,        /* the connection failed or the peer closed */
};

typedef struct simTCP simTCP;
struct simTCP {
	xsMachine* the;            /* the machine of its instance */
	simNetTCP* net;            /* the connection; NULL: none (idle, or released) */
	xsSlot object;             /* the JS instance (valid while attached) */
	xsSlot onReadable, onWritable, onError;
	uint8_t state;             /* kTCPIdle ... kTCPFinished */
	uint8_t flags;             /* kTCPHasReadable ... */
	uint8_t triggered;         /* kTCPWritable ... due on the trigger timer */
	int busy;                  /* C frames using this record: it is freed only when none is left */
	int error;                 /* err_t for onError */
	uint8_t* pending;          /* received bytes not yet read */
	size_t pendingLength;
	simNetBuf* buf;            /* the received buffer `pending` points into, inside onReadable */
	uint8_t* pendingOwned;     /* malloc'd copy when the app left bytes unread */
	uint8_t* held;             /* bytes write() accepted and the backend did not take (a short write) */
	size_t heldLength;
	size_t handed;             /* bytes the network took this turn: still counted against the writable count */
	simTimer trigger;          /* delivers kTCP* bits outside of read(), write() and the constructor */
	char remoteAddress[16], localAddress[16];
	int remotePort, localPort;
};

#define simTCPHas(tcp, flag) (((tcp)->flags & (flag)) != 0)
#define simTCPSet(tcp, flag) ((tcp)->flags |= (flag))
#define simTCPClear(tcp, flag) ((tcp)->flags &= (uint8_t)~(flag))

/* ---- tcp-events.c ---- */
extern const simNetTCPUpcalls gSimTCPUpcalls;
/* Keep the instance alive and count it as pending work / stop. */
void simTCPRemember(simTCP* tcp);
void simTCPForget(simTCP* tcp);
/* Close the connection now (no XS call: also used by the destructor). */
void simTCPRelease(simTCP* tcp);
void simTCPDropPending(simTCP* tcp);
/* Free the record (after the current callback of the loop). */
void simTCPFree(simTCP* tcp);
/* End a C frame that used the record (`busy`); frees it when nothing refers to it any more. */
void simTCPLeave(simTCP* tcp);
/* Deliver kTCP* `bits` on a later turn (the trigger timer). */
void simTCPTrigger(simTCP* tcp, uint8_t bits);
/* The writable count: what write() takes now. */
size_t simTCPWritable(simTCP* tcp);
/* Hand `length` bytes to the network. 0: taken (what the network did not take is held and offered again); -1: out of memory; 1 (a backend with
 * Moddable's classes, simNetFunctions.moddableClasses): the network took none of it, nothing is held. */
int simTCPSend(simTCP* tcp, const void* data, size_t length);
/* The app consumed `count` received bytes. */
void simTCPConsumed(simTCP* tcp, size_t count);
/* Local and remote ends from the connection, when known. */
void simTCPAddresses(simTCP* tcp);
/* The connection is over with lwIP err_t `error`: onError comes from the loop. */
void simTCPFail(simTCP* tcp, int error);
void simTCPDeliver(simTimer* timer);

#endif
