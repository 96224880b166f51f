/* xsnet simulator: what the host's C files share. */
#ifndef XSNET_SIM_H
#define XSNET_SIM_H

#include "engine.h"
#include <stdint.h>

/* ---- the bindings' native functions, looked up by the names in `@ "name"` declarations (hostfns.c) ---- */
extern const simHostFunction gSimHostFunctions[];

/* ---- used by xsnet/native (native.c) ---- */
int simTCPDescriptor(xsMachine* the, xsSlot* slot);
int simUDPDescriptor(xsMachine* the, xsSlot* slot);
int simMulticastJoin(uint32_t interface, uint32_t group);
int simMulticastLeave(uint32_t interface, uint32_t group);
void simSetStationInterface(const char* name);

/* ---- DNS server configuration (native.c) ---- */
void simSetDNSServer(int index, const char* address);

/* ---- lwIP 2.x err_t numbers, used in onError(code) ---- */
#define SIM_ERR_OK 0
#define SIM_ERR_MEM -1
#define SIM_ERR_TIMEOUT -3
#define SIM_ERR_RTE -4
#define SIM_ERR_VAL -6
#define SIM_ERR_USE -8
#define SIM_ERR_CONN -11
#define SIM_ERR_ABRT -13
#define SIM_ERR_RST -14
#define SIM_ERR_CLSD -15
int simErrFromErrno(int error);

#endif

/* ---- shared by the socket host classes (sockets.c) ---- */
void simDeferFree(void* p);
/* Option helpers: the slot's property, or undefined. */
int simHasOption(xsMachine* the, xsSlot* options, const char* name, xsSlot* value);
/* The option `name` is present ("in" options, even when undefined), as Moddable's classes test it (xsmcHas). */
int simOptionPresent(xsMachine* the, xsSlot* options, const char* name, xsSlot* value);
/* A callback option (Moddable's builtinGetCallback): 1 and the function, 0 when undefined or null;
 * throws Error("not a function") for anything else. */
int simGetCallback(xsMachine* the, xsSlot* options, const char* name, xsSlot* value);
/* An integer option that must not be undefined (Moddable's builtinGetSignedInteger): Error("invalid") for
 * undefined, TypeError for what ToInteger refuses (a symbol). */
int simGetSignedInteger(xsMachine* the, xsSlot* value);
/* "a.b.c.d" -> network-order address; throws TypeError("invalid address") */
uint32_t simParseIPv4(xsMachine* the, xsSlot* value);
/* ToString(value) as "a.b.c.d" -> 1 and the network-order address, 0 when it is no IPv4 address;
 * TypeError for what ToString refuses (a symbol). */
int simToIPv4(xsMachine* the, xsSlot* value, uint32_t* address);
void simFormatIPv4(uint32_t address, char* out); /* out: 16 bytes */
/* The host data of `slot` if it is an instance of the class with `hooks` (open), else NULL; never throws. */
void* simHostDataIf(xsMachine* the, xsSlot* slot, const xsHostHooks* hooks);
/* Fill a TCP instance made by `new TCP()` (no options) with an accepted, connected descriptor (listener.c).
 * SyntaxError when `slot` is no open TCP instance. */
void simTCPAdopt(xsMachine* the, xsSlot* slot, int fd);

/* Limits (named here, like lwIP's lwipopts.h). */
#define SIM_TCP_SEND_BUFFER (64 * 1024)   /* bytes the host queues beyond the kernel's buffer */
#ifndef SIM_TCP_READ_MAX
#define SIM_TCP_READ_MAX (64 * 1024)      /* largest ArrayBuffer one read() returns */
#endif
#define SIM_TCP_RECEIVE_WINDOW (64 * 1024) /* unread bytes a socket holds before it stops reading (lwIP's TCP_WND) */
#define SIM_LISTEN_BACKLOG 16             /* connections accepted ahead of the app */
#define SIM_LISTEN_RETRY_MS 1000          /* accept() retried this often while descriptors are lacking */
#define SIM_UDP_QUEUE 32                  /* datagrams queued ahead of the app; more are dropped */
#define SIM_UDP_MAX (65535 - 8 - 20)      /* largest datagram the host accepts (IPv4 limit) */

/* ---- the part that Listener, UDP and ICMP sockets share (readable.c): a descriptor whose arrivals are
 * queued by the class and announced with onReadable(count) ---- */
typedef struct {
	simWatch watch;            /* first: the loop hands us this pointer */
	xsMachine* the;            /* the machine of its instance */
	xsSlot object;             /* the JS instance, remembered while open */
	xsSlot onReadable;
	uint8_t remembered, busy, closed;
	uint8_t freeLater;         /* closed inside its callback: freed when the callback returns */
} simReadable;
/* Attach `r` (fd open, watch.callback set) to xsThis: host data, hooks, onReadable and target from
 * `options`, remembered, counted as pending work, watched for EPOLLIN. */
void simReadableOpen(xsMachine* the, simReadable* r, const xsHostHooks* hooks, xsSlot* options);
/* Call onReadable(count); afterwards `r` is still valid even if the callback closed it. */
void simReadableNotify(xsMachine* the, simReadable* r, int count);
/* Close the descriptor and stop counting it; forget the object unless inside its callback. */
void simReadableRelease(xsMachine* the, simReadable* r);
void simReadableMark(txMachine* the, void* data, txMarkRoot markRoot);
/* close() of a Listener or UDP instance, as Moddable's: a second close() does nothing; `this` of another
 * class throws SyntaxError; afterwards the instance has no host data, so its methods and getters throw
 * SyntaxError. `release` frees what the class queued, then the descriptor is closed and `r` freed (after
 * its callback if inside one). */
void simReadableClose(xsMachine* the, const xsHostHooks* hooks, void (*release)(simReadable* r));
/* `this` as an open instance of the class with `hooks`; SyntaxError otherwise (closed, or another class). */
void* simReadableGet(xsMachine* the, const xsHostHooks* hooks);
