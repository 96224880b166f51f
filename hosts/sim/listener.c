/* xsnet simulator: ECMA-419 `embedded:io/socket/listener`. Connections are accepted as they arrive
 * (up to SIM_LISTEN_BACKLOG ahead of the app) and onReadable(count) tells how many wait; read() hands
 * one over in a TCP instance that listener.js creates with `new TCP()` (as Moddable's Listener does).
 * A closed Listener throws SyntaxError from read() and its getters (Moddable's classes lose their host
 * data at close()); a second close() does nothing.
 * Out of descriptors (EMFILE, ENFILE) or kernel memory, accept() fails while connections wait: the Listener then
 * stops watching its descriptor (level-triggered epoll would report it ready at once, forever), says so once on
 * stderr, and tries again every SIM_LISTEN_RETRY_MS until an accept succeeds. The app is told nothing: the
 * clients wait in the kernel's backlog, as on a board whose lwIP has no pcb left. */
#include "sim.h"
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

typedef struct {
	simReadable r;             /* first */
	int queue[SIM_LISTEN_BACKLOG];
	int count;
	int port;
	char address[16];
	simTimer retry;            /* scheduled while accept() lacks descriptors: the descriptor is not watched */
	uint8_t starved;           /* accept() failed for want of descriptors, and has not succeeded since */
} simListener;

void xs_listener_destructor(void* data);
static const xsHostHooks gListenerHooks = { xs_listener_destructor, simReadableMark, NULL };

static void simListenerDrop(simReadable* r);
static void simListenerRelease(xsMachine* the, simListener* l)
{
	simListenerDrop(&l->r);
	simReadableRelease(the, &l->r);
}

void xs_listener_destructor(void* data)
{
	simListener* l = data;
	if (!l)
		return;
	simListenerRelease(NULL, l);
	simDeferFree(l);
}

/* The epoll events the listener needs now: none while the app is behind or descriptors are lacking. */
static void simListenerWatch(simListener* l)
{
	if (l->r.watch.fd >= 0)
		simWatchModify(&l->r.watch, (l->retry.scheduled || l->count == SIM_LISTEN_BACKLOG) ? 0 : EPOLLIN);
}

static void simListenerRetry(simTimer* timer)
{
	simListener* l = timer->data;
	simListenerWatch(l);           /* watched again: a connection still waiting makes the loop call accept() */
}

/* accept() failed with `error`: 1 when the loop must stop for now (nothing waits, or no resource). */
static int simListenerAcceptFailed(simListener* l, int error)
{
	if (error == EINTR || error == ECONNABORTED)
		return 0;                   /* that connection is gone: take the next one */
	if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
		if (!l->starved)
			fprintf(stderr, "xsnet-sim: listener %s:%d cannot accept: %s; retrying every second\n",
				l->address, l->port, strerror(error));
		l->starved = 1;
		simTimerSchedule(&l->retry, SIM_LISTEN_RETRY_MS);   /* cancelled when the Listener closes */
		return 1;
	}
	if (error != EAGAIN && error != EWOULDBLOCK && simTracing())
		fprintf(stderr, "[listener %d] accept: %s\n", l->r.watch.fd, strerror(error));
	return 1;                       /* EAGAIN; or a network error of one connection (Linux), taken as EAGAIN */
}

static void simListenerEvents(simWatch* watch, uint32_t events)
{
	simListener* l = (simListener*)watch;
	xsMachine* the = l->r.the;
	while (l->count < SIM_LISTEN_BACKLOG) {
		int fd = accept4(l->r.watch.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (simListenerAcceptFailed(l, errno))
				break;
			continue;
		}
		l->queue[l->count++] = fd;
	}
	if (l->starved && !l->retry.scheduled) {
		l->starved = 0;             /* every waiting connection was taken */
		fprintf(stderr, "xsnet-sim: listener %s:%d accepting again\n", l->address, l->port);
	}
	simListenerWatch(l);           /* the app is behind, or no descriptor: leave the rest in the kernel's backlog */
	simReadableNotify(the, &l->r, l->count);
}

/* new Listener({port = 0, address = "0.0.0.0", onReadable, format: "socket/tcp", target}). As Moddable's:
 * a `port` that is present but undefined throws Error("invalid"), a symbol TypeError, out of 0..65535
 * RangeError; a callback that is no function Error("not a function"); a format other than "socket/tcp"
 * RangeError. `address` is an extension of ours (Moddable's lwIP Listener always binds every address). */
void xs_listener_constructor(xsMachine* the)
{
	simListener* l;
	struct sockaddr_in a;
	socklen_t length = sizeof(a);
	int fd, one = 1, port = 0;
	uint32_t address = INADDR_ANY;
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
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		xsUnknownError("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = address;
	a.sin_port = htons(port);
	if (bind(fd, (struct sockaddr*)&a, sizeof(a)) < 0 || listen(fd, SIM_LISTEN_BACKLOG) < 0) {
		int error = errno;
		close(fd);
		if (error == EADDRINUSE)
			xsUnknownError("address in use");
		xsUnknownError("listen: %s", strerror(error));
	}
	getsockname(fd, (struct sockaddr*)&a, &length);
	l = calloc(1, sizeof(simListener));
	if (!l) {
		close(fd);
		xsUnknownError("out of memory");
	}
	l->r.watch.fd = fd;
	l->r.watch.callback = simListenerEvents;
	l->retry.callback = simListenerRetry;
	l->retry.data = l;
	l->port = ntohs(a.sin_port);
	simFormatIPv4(a.sin_addr.s_addr, l->address);
	simReadableOpen(the, &l->r, &gListenerHooks, &xsVar(1));
}

/* accept.call(listener, tcp) -> tcp filled with the next pending connection | undefined
 * (listener.js passes `new TCP()`, as Moddable's Listener.read() does). */
void xs_listener_accept(xsMachine* the)
{
	simListener* l = simReadableGet(the, &gListenerHooks);
	int fd;
	if (!l->count)
		return;
	fd = l->queue[0];
	simTCPAdopt(the, &xsArg(0), fd);   /* SyntaxError, before anything is taken, if xsArg(0) is no TCP */
	l->count--;
	memmove(l->queue, l->queue + 1, l->count * sizeof(int));
	simListenerWatch(l);
	xsResult = xsArg(0);
}

static void simListenerDrop(simReadable* r)
{
	simListener* l = (simListener*)r;
	int i;
	for (i = 0; i < l->count; i++)
		close(l->queue[i]);
	l->count = 0;
	simTimerCancel(&l->retry);
	l->starved = 0;
}

void xs_listener_close(xsMachine* the)
{
	simReadableClose(the, &gListenerHooks, simListenerDrop);
}

void xs_listener_get_port(xsMachine* the)
{
	simListener* l = simReadableGet(the, &gListenerHooks);
	xsResult = xsInteger(l->port);
}

void xs_listener_get_address(xsMachine* the)
{
	simListener* l = simReadableGet(the, &gListenerHooks);
	xsResult = xsString(l->address);
}
