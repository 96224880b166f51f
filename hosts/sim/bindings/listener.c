/* xsnet simulator: ECMA-419 `embedded:io/socket/listener` over the network seam. Connections are accepted as
 * they arrive (up to SIM_LISTEN_BACKLOG ahead of the app) and onReadable(count) tells how many wait; read()
 * hands one over in a TCP instance that listener.js creates with `new TCP()` (as Moddable's Listener does): the
 * connection moves from host object to host object, no descriptor reaches JS.
 * A closed Listener throws SyntaxError from read() and its getters (Moddable's classes lose their host
 * data at close()); a second close() does nothing. */
#include "bindings.h"

typedef struct {
	simReadable r;             /* first */
	simNetListener* net;
	simNetTCP* queue[SIM_LISTEN_BACKLOG];
	int count;
} simListener;

void xs_listener_destructor(void* data);
static const xsHostHooks gListenerHooks = { xs_listener_destructor, simReadableMark, NULL };

/* Close the waiting connections and the listening socket (no XS call: also used by the destructor). */
static void simListenerDrop(simReadable* r)
{
	simListener* l = (simListener*)r;
	int i;
	for (i = 0; i < l->count; i++)
		simNet()->tcpClose(l->queue[i], 0);
	l->count = 0;
	if (l->net) {
		simNet()->listenerClose(l->net);
		l->net = NULL;
	}
}

void xs_listener_destructor(void* data)
{
	simListener* l = data;
	if (!l)
		return;
	simListenerDrop(&l->r);
	simReadableRelease(NULL, &l->r);
	simDeferFree(l);
}

static void simListenerAccepted(void* owner, simNetTCP* tcp)
{
	simListener* l = owner;
	l->queue[l->count++] = tcp;
	if (l->count == SIM_LISTEN_BACKLOG)
		simNet()->listenerAccepting(l->net, 0);   /* the app is behind: the rest wait in the backlog */
}

static void simListenerBatch(void* owner)
{
	simListener* l = owner;
	simReadableNotify(&l->r, l->count);
}

static const simNetListenerUpcalls gListenerUpcalls = { simListenerAccepted, simListenerBatch };

/* new Listener({port = 0, address = "0.0.0.0", onReadable, format: "socket/tcp", target}). As Moddable's:
 * a `port` that is present but undefined throws Error("invalid"), a symbol TypeError, out of 0..65535
 * RangeError; a callback that is no function Error("not a function"); a format other than "socket/tcp"
 * RangeError. `address` is an extension of ours (Moddable's lwIP Listener always binds every address). */
void xs_listener_constructor(xsMachine* the)
{
	simListener* l;
	int port = 0, error = 0;
	uint32_t address = 0;
	xsVars(2);
	xsVar(1) = xsToInteger(xsArgc) > 0 ? xsArg(0) : xsUndefined;
	if (simOptionPresent(the, &xsVar(1), "port", &xsVar(0))) {
		port = simGetSignedInteger(the, &xsVar(0));
		if (port < 0 || port > 65535)
			xsRangeError("invalid port");
	}
	simGetCallback(the, &xsVar(1), "onReadable", &xsVar(0));
	if (simOptionPresent(the, &xsVar(1), "format", &xsVar(0)) && xsTest(xsVar(0))
		&& strcmp(xsToString(xsVar(0)), "socket/tcp"))
		xsRangeError("unimplemented");
	if (simHasOption(the, &xsVar(1), "address", &xsVar(0)) && !simToIPv4(the, &xsVar(0), &address))
		xsUnknownError("invalid address");
	l = calloc(1, sizeof(simListener));
	if (!l)
		xsUnknownError("out of memory");
	l->net = simNet()->listen(address, (uint16_t)port, &gListenerUpcalls, l, &error);
	if (!l->net) {
		free(l);
		if (error == EADDRINUSE)
			xsUnknownError("address in use");
		xsUnknownError("listen: %s", strerror(error));
	}
	simReadableOpen(the, &l->r, &gListenerHooks, &xsVar(1));
}

/* accept.call(listener, tcp) -> tcp filled with the next pending connection | undefined
 * (listener.js passes `new TCP()`, as Moddable's Listener.read() does). */
void xs_listener_accept(xsMachine* the)
{
	simListener* l = simReadableGet(the, &gListenerHooks);
	if (!l->count)
		return;
	simTCPAdopt(the, &xsArg(0), l->queue[0]);   /* SyntaxError, before anything is taken, if xsArg(0) is no TCP */
	l->count--;
	memmove(l->queue, l->queue + 1, l->count * sizeof(simNetTCP*));
	simNet()->listenerAccepting(l->net, 1);
	xsResult = xsArg(0);
}

void xs_listener_close(xsMachine* the)
{
	simReadableClose(the, &gListenerHooks, simListenerDrop);
}

void xs_listener_get_port(xsMachine* the)
{
	simListener* l = simReadableGet(the, &gListenerHooks);
	uint32_t address;
	uint16_t port;
	simNet()->listenerAddress(l->net, &address, &port);
	xsResult = xsInteger(port);
}

void xs_listener_get_address(xsMachine* the)
{
	simListener* l = simReadableGet(the, &gListenerHooks);
	uint32_t address;
	uint16_t port;
	char text[16];
	simNet()->listenerAddress(l->net, &address, &port);
	simFormatIPv4(address, text);
	xsResult = xsString(text);
}
