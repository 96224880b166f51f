/* xsnet simulator: what the XS host classes share (hosts/sim/bindings). They reach the network only through
 * the seam (net/net.h), JS only through the engine (engine.h). */
#ifndef XSNET_BINDINGS_H
#define XSNET_BINDINGS_H

#include "engine.h"
#include "net/net.h"
#include <stdint.h>

/* The bindings' native functions, looked up by the names in `@ "name"` declarations (hostfns.c). */
extern const simHostFunction gSimHostFunctions[];
/* Define setTimeout, setInterval, clearTimeout, clearInterval on the global object (timer.c). */
void simTimerInstallGlobals(xsMachine* the);

/* ---- used by xsnet/native (native.c) ---- */
/* The connection of an open, connected or connecting TCP instance, or NULL; never throws (tcp.c). */
simNetTCP* simTCPConnection(xsMachine* the, xsSlot* slot);
/* The socket of an open UDP instance, or NULL; never throws (udp.c). */
simNetUDP* simUDPSocket(xsMachine* the, xsSlot* slot);

/* ---- shared by the socket host classes (sockets.c) ---- */
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
/* Fill a TCP instance made by `new TCP()` (no options) with an accepted connection (listener.c).
 * SyntaxError when `slot` is no open TCP instance, Error("in use") when it has a connection. */
void simTCPAdopt(xsMachine* the, xsSlot* slot, simNetTCP* connection);

/* ---- the part that Listener, UDP and ICMP instances share (readable.c): arrivals queued by the class and
 * announced with onReadable(count) ---- */
typedef struct {
	xsMachine* the;            /* the machine of its instance */
	xsSlot object;             /* the JS instance, remembered while open */
	xsSlot onReadable;
	uint8_t remembered, referenced, busy, closed;
	uint8_t freeLater;         /* closed inside its callback: freed when the callback returns */
} simReadable;
/* Attach `r` to xsThis: host data, hooks, onReadable and target from `options`, remembered, counted as
 * pending work. */
void simReadableOpen(xsMachine* the, simReadable* r, const xsHostHooks* hooks, xsSlot* options);
/* Call onReadable(count); afterwards `r` is still valid even if the callback closed it. */
void simReadableNotify(simReadable* r, int count);
/* Stop counting it as pending work; forget the object unless inside its callback (`the` NULL: from a destructor). */
void simReadableRelease(xsMachine* the, simReadable* r);
void simReadableMark(txMachine* the, void* data, txMarkRoot markRoot);
/* close() of a Listener, UDP or ICMP instance, as Moddable's: a second close() does nothing; `this` of another
 * class throws SyntaxError; afterwards the instance has no host data, so its methods and getters throw
 * SyntaxError. `release` frees what the class holds (its queue, its socket), then `r` is freed (after its
 * callback if inside one). */
void simReadableClose(xsMachine* the, const xsHostHooks* hooks, void (*release)(simReadable* r));
/* `this` as an open instance of the class with `hooks`; SyntaxError otherwise (closed, or another class). */
void* simReadableGet(xsMachine* the, const xsHostHooks* hooks);

#endif
