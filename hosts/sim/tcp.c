/* xsnet simulator: ECMA-419 `embedded:io/socket/tcp` over a non-blocking POSIX socket, behaving as
 * Moddable's lwIP class (modules/io/socket/lwip/tcp.c) does on a board.
 *
 * Events: onWritable(bytes) first when connected, then whenever the writable count grew again;
 * onReadable(bytes) when bytes arrived; onError(code) once, with an lwIP 2.x err_t (0: the peer closed
 * normally, after every received byte was read; -14 ERR_RST: reset or refused; -13 ERR_ABRT: timeout;
 * -4 ERR_RTE: unreachable). ECMA-419 leaves the error type to "future work"; devices call onError()
 * with no argument.
 * The writable count is lwIP's tcp_sndbuf(): write() takes bytes from it and returns what is left, and
 * within one turn of the app it only shrinks; bytes handed to the kernel count against it until the loop
 * comes back (on a board: until the peer acknowledges them), then onWritable(bytes) reports it again.
 * Without callbacks the socket still connects, receives (read() polls) and writes.
 * A closed instance has no host data, so its methods and getters throw SyntaxError (as Moddable's).
 * System calls per echo round trip: epoll_wait, recv, send (no FIONREAD: bytes are received into one
 * shared buffer and the callback told how many; what the app leaves unread is kept per socket, more is
 * received after it up to SIM_TCP_RECEIVE_WINDOW bytes (lwIP's TCP_WND), then the socket stops reading from
 * the kernel until the app takes some, so TCP flow control reaches the peer).
 */
#include "sim.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

/* What the `trigger` timer delivers on a later turn (lwIP's tcpTrigger bits). */
enum {
	kTCPWritable = 1 << 0,     /* the writable count is back: bytes handed over count no more */
	kTCPReadable = 1 << 1,     /* bytes taken over with `from` wait */
	kTCPError = 1 << 2,        /* the connection failed or the peer closed */
};

typedef struct simTCP simTCP;
struct simTCP {
	simWatch watch;            /* first: the loop hands us this pointer */
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
	uint8_t eof;               /* the peer sent FIN */
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

static uint8_t gReadBuffer[SIM_TCP_READ_MAX];

void xs_tcp_destructor(void* data);
static void simTCPMark(txMachine* the, void* data, txMarkRoot markRoot)
{
	simTCP* tcp = data;
	(*markRoot)(the, (txSlot*)&tcp->onReadable);
	(*markRoot)(the, (txSlot*)&tcp->onWritable);
	(*markRoot)(the, (txSlot*)&tcp->onError);
}
static const xsHostHooks gTCPHooks = { xs_tcp_destructor, simTCPMark, NULL };

static void simTCPEvents(simWatch* watch, uint32_t events);
static void simTCPDeliver(simTimer* timer);

/* Close the descriptor and stop counting it as pending work (no XS call: also used by the destructor). */
static void simTCPRelease(simTCP* tcp)
{
	if (tcp->watch.fd >= 0) {
		simWatchRemove(&tcp->watch);
		close(tcp->watch.fd);
		tcp->watch.fd = -1;
	}
	if (tcp->referenced) {
		tcp->referenced = 0;
		simUnref();
	}
}

static void simTCPForget(xsMachine* the, simTCP* tcp)
{
	if (tcp->remembered) {
		tcp->remembered = 0;
		xsForget(tcp->object);
	}
}

static void simTCPDropPending(simTCP* tcp)
{
	free(tcp->pendingOwned);
	tcp->pendingOwned = NULL;
	tcp->pending = NULL;
	tcp->pendingLength = 0;
}

static void simTCPFree(simTCP* tcp)
{
	simTimerCancel(&tcp->trigger);
	simTCPRelease(tcp);
	free(tcp->pendingOwned);
	free(tcp->out);
	simDeferFree(tcp);
}

/* The record is freed once no instance refers to it, no C frame uses it and no output is being flushed. */
static void simTCPLeave(simTCP* tcp)
{
	if (--tcp->busy == 0 && !tcp->attached && !tcp->lingering)
		simTCPFree(tcp);
}

/* Detach the record from its instance: afterwards the instance throws SyntaxError (closed). */
static void simTCPDetach(xsMachine* the, simTCP* tcp, xsSlot* instance)
{
	xsSetHostData(*instance, NULL);
	xsSetHostDestructor(*instance, NULL);
	tcp->attached = 0;
	simTCPForget(the, tcp);
	simTimerCancel(&tcp->trigger);
	tcp->triggered = 0;
}

void xs_tcp_destructor(void* data)
{
	simTCP* tcp = data;
	if (!tcp)
		return;
	tcp->attached = 0;
	simTCPRelease(tcp);
	if (!tcp->busy)
		simTCPFree(tcp);
}

/* `this` as an open TCP instance; SyntaxError when closed or of another class (as Moddable's). */
static simTCP* simTCPGet(xsMachine* the)
{
	return xsGetHostDataValidate(xsThis, (void*)&gTCPHooks);
}

/* Call one of the instance's callbacks; the caller holds `busy`. */
static void simTCPCall(xsMachine* the, simTCP* tcp, xsSlot* fn, int argc, size_t value)
{
	xsSlot arg = xsInteger((xsIntegerValue)value), object = tcp->object, function = *fn;
	simCallback(the, &object, &function, argc, &arg);
}

static void simTCPTrigger(simTCP* tcp, uint8_t bits)
{
	tcp->triggered |= bits;
	if (!tcp->trigger.scheduled)
		simTimerSchedule(&tcp->trigger, 0);
}

static size_t simTCPWritable(simTCP* tcp)
{
	size_t used = tcp->outLength + tcp->handed;
	return used < SIM_TCP_SEND_BUFFER ? SIM_TCP_SEND_BUFFER - used : 0;
}

static uint32_t simTCPInterest(simTCP* tcp)
{
	uint32_t events = 0;
	if (tcp->connecting || tcp->outLength)
		events |= EPOLLOUT;
	if (tcp->lingering)
		events |= EPOLLIN | EPOLLRDHUP; /* to notice the peer's reset or FIN while flushing */
	else if (tcp->connected && !tcp->eof && !tcp->dead && tcp->pendingLength < SIM_TCP_RECEIVE_WINDOW)
		events |= EPOLLIN | EPOLLRDHUP;
	return events;
}

static void simTCPUpdateInterest(simTCP* tcp)
{
	if (tcp->watch.fd >= 0 && tcp->watch.callback)
		simWatchModify(&tcp->watch, simTCPInterest(tcp));
}

static void simTCPAddresses(simTCP* tcp)
{
	struct sockaddr_in a;
	socklen_t length = sizeof(a);
	if (getsockname(tcp->watch.fd, (struct sockaddr*)&a, &length) == 0 && a.sin_port) {
		simFormatIPv4(a.sin_addr.s_addr, tcp->localAddress);
		tcp->localPort = ntohs(a.sin_port);
	}
	length = sizeof(a);
	if (getpeername(tcp->watch.fd, (struct sockaddr*)&a, &length) == 0) {
		simFormatIPv4(a.sin_addr.s_addr, tcp->remoteAddress);
		tcp->remotePort = ntohs(a.sin_port);
	}
}

/* The connection is over: report it once, from the loop (never from inside read() or write()). The
 * descriptor is no longer watched (a reset one would report EPOLLERR forever). */
static void simTCPFail(simTCP* tcp, int error)
{
	if (tcp->dead)
		return;
	tcp->dead = 1;
	tcp->connected = 0;
	tcp->connecting = 0;
	tcp->error = error;
	if (tcp->watch.fd >= 0)
		simWatchRemove(&tcp->watch);
	simTCPTrigger(tcp, kTCPError);
}

/* Deliver onError: the descriptor no longer keeps the process alive, nor the instance. */
static void simTCPFinish(xsMachine* the, simTCP* tcp)
{
	tcp->finished = 1;
	if (gSimTrace)
		fprintf(stderr, "[tcp %d] onError(%d)\n", tcp->watch.fd, tcp->error);
	simTCPRelease(tcp);
	simTCPForget(the, tcp);
	if (tcp->hasError)
		simTCPCall(the, tcp, &tcp->onError, 1, (size_t)(intptr_t)tcp->error);
}

/* The trigger timer: what lwIP's tcpDeliver does on the next turn. */
static void simTCPDeliver(simTimer* timer)
{
	simTCP* tcp = timer->data;
	xsMachine* the = gSimMachine;
	uint8_t bits = tcp->triggered;
	tcp->triggered = 0;
	tcp->busy++;
	if (bits & kTCPWritable)
		tcp->handed = 0;
	if ((bits & kTCPReadable) && tcp->attached && tcp->hasReadable && tcp->pendingLength && !tcp->finished)
		simTCPCall(the, tcp, &tcp->onReadable, 1, tcp->pendingLength);
	if (tcp->attached && !tcp->finished) {
		if (tcp->dead) {
			/* a normal close is reported once the app has read everything */
			if (!(tcp->error == SIM_ERR_OK && tcp->pendingLength))
				simTCPFinish(the, tcp);
		}
		else if ((bits & kTCPWritable) && tcp->connected && tcp->hasWritable && simTCPWritable(tcp))
			simTCPCall(the, tcp, &tcp->onWritable, 1, simTCPWritable(tcp));
	}
	simTCPLeave(tcp);
}

static int simTCPFlush(simTCP* tcp)
{
	while (tcp->outLength) {
		ssize_t n = send(tcp->watch.fd, tcp->out + tcp->outOffset, tcp->outLength, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		tcp->outOffset += n;
		tcp->outLength -= n;
	}
	tcp->outOffset = 0;
	return 0;
}

static void simTCPCallWritable(xsMachine* the, simTCP* tcp)
{
	size_t writable = simTCPWritable(tcp);
	if (tcp->hasWritable && tcp->attached && !tcp->dead && writable)
		simTCPCall(the, tcp, &tcp->onWritable, 1, writable);
}

/* Receive what the kernel has, up to the receive window. With nothing unread, into the shared buffer (the
 * app usually reads it all inside onReadable: no copy); bytes the app leaves unread are kept per socket, and
 * later arrivals are appended to them, as lwIP chains pbufs: onReadable(bytes) always tells the total. */
static void simTCPReceive(xsMachine* the, simTCP* tcp)
{
	size_t room = SIM_TCP_RECEIVE_WINDOW - tcp->pendingLength;
	ssize_t n;
	for (;;) {
		n = recv(tcp->watch.fd, gReadBuffer, room < sizeof(gReadBuffer) ? room : sizeof(gReadBuffer), 0);
		if (n >= 0 || errno != EINTR)
			break;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			simTCPFail(tcp, simErrFromErrno(errno));
		return;
	}
	if (n == 0) {
		tcp->eof = 1;
		simTCPFail(tcp, SIM_ERR_OK);
		return;
	}
	if (gSimTrace)
		fprintf(stderr, "[tcp %d] onReadable(%ld)\n", tcp->watch.fd, (long)n);
	if (tcp->pendingLength) {
		/* bytes left unread: append (moved to the start of their own buffer first) */
		size_t keep = tcp->pendingLength;
		uint8_t* owned;
		memmove(tcp->pendingOwned, tcp->pending, keep);
		owned = realloc(tcp->pendingOwned, keep + n);
		if (!owned) {
			simTCPFail(tcp, SIM_ERR_MEM);
			return;
		}
		memcpy(owned + keep, gReadBuffer, n);
		tcp->pendingOwned = tcp->pending = owned;
		tcp->pendingLength = keep + n;
		if (tcp->hasReadable)
			simTCPCall(the, tcp, &tcp->onReadable, 1, tcp->pendingLength);
		simTCPUpdateInterest(tcp);
		return;
	}
	tcp->pending = gReadBuffer;
	tcp->pendingLength = n;
	if (tcp->hasReadable) {
		tcp->reading = 1;
		simTCPCall(the, tcp, &tcp->onReadable, 1, (size_t)n);
		tcp->reading = 0;
	}
	if (tcp->pendingLength && tcp->attached) {
		/* The app left bytes unread (no callback, or hold): keep them. */
		tcp->pendingOwned = malloc(tcp->pendingLength);
		if (!tcp->pendingOwned) {
			tcp->pending = NULL;
			tcp->pendingLength = 0;
			simTCPFail(tcp, SIM_ERR_MEM);
			return;
		}
		memcpy(tcp->pendingOwned, tcp->pending, tcp->pendingLength);
		tcp->pending = tcp->pendingOwned;
	}
	else {
		tcp->pending = NULL;
		tcp->pendingLength = 0;
	}
	simTCPUpdateInterest(tcp);
}

static void simTCPEventsOpen(xsMachine* the, simTCP* tcp, uint32_t events)
{
	if (tcp->connecting) {
		int error = 0;
		socklen_t length = sizeof(error);
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		getsockopt(tcp->watch.fd, SOL_SOCKET, SO_ERROR, &error, &length);
		tcp->connecting = 0;
		if (error || (events & (EPOLLERR | EPOLLHUP)) == (EPOLLERR | EPOLLHUP)) {
			simTCPFail(tcp, simErrFromErrno(error ? error : ECONNREFUSED));
			return;
		}
		tcp->connected = 1;
		simTCPAddresses(tcp);
		simTCPUpdateInterest(tcp);
		if (gSimTrace)
			fprintf(stderr, "[tcp %d] connected %s:%d\n", tcp->watch.fd, tcp->remoteAddress, tcp->remotePort);
		simTCPCallWritable(the, tcp);
		return;
	}
	if (events & EPOLLOUT) {
		if (tcp->outLength) {
			int r = simTCPFlush(tcp);
			if (r < 0) {
				simTCPFail(tcp, simErrFromErrno(-r));
				return;
			}
			simTCPUpdateInterest(tcp);
			simTCPCallWritable(the, tcp);
			if (!tcp->attached || tcp->dead)
				return;
		}
		else
			simTCPUpdateInterest(tcp);
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		if (tcp->pendingLength >= SIM_TCP_RECEIVE_WINDOW) {
			/* the window is full: only a failure is taken now (HUP and ERR cannot be masked) */
			if (events & (EPOLLHUP | EPOLLERR)) {
				int error = 0;
				socklen_t length = sizeof(error);
				getsockopt(tcp->watch.fd, SOL_SOCKET, SO_ERROR, &error, &length);
				if (!error)
					tcp->eof = 1;
				simTCPFail(tcp, simErrFromErrno(error));
			}
			return;
		}
		simTCPReceive(the, tcp);
	}
}

static void simTCPEvents(simWatch* watch, uint32_t events)
{
	simTCP* tcp = (simTCP*)watch;
	tcp->busy++;
	if (tcp->lingering) {
		int r = simTCPFlush(tcp);
		if (r < 0 || tcp->outLength == 0 || (events & (EPOLLERR | EPOLLHUP))) {
			tcp->lingering = 0;
			simTCPRelease(tcp);
		}
		else if (events & EPOLLIN) {
			/* discard what the peer still sends while we flush */
			while (recv(tcp->watch.fd, gReadBuffer, sizeof(gReadBuffer), 0) > 0)
				;
		}
	}
	else if (tcp->attached && !tcp->dead)
		simTCPEventsOpen(gSimMachine, tcp, events);
	simTCPLeave(tcp);
}

/* A record for xsThis, attached to it; `fd` may be -1 (an empty instance: `new TCP()`). */
static simTCP* simTCPNew(xsMachine* the, int fd)
{
	simTCP* tcp = calloc(1, sizeof(simTCP));
	if (!tcp) {
		if (fd >= 0)
			close(fd);
		xsUnknownError("out of memory");
	}
	tcp->watch.fd = fd;
	tcp->watch.callback = simTCPEvents;
	tcp->watch.data = tcp;
	tcp->trigger.callback = simTCPDeliver;
	tcp->trigger.data = tcp;
	tcp->onReadable = xsUndefined;
	tcp->onWritable = xsUndefined;
	tcp->onError = xsUndefined;
	tcp->object = xsThis;
	tcp->attached = 1;
	xsSetHostData(xsThis, tcp);
	xsSetHostHooks(xsThis, &gTCPHooks);
	return tcp;
}

/* The record now owns a descriptor: remember the instance, count it as pending work, watch it. */
static void simTCPStart(xsMachine* the, simTCP* tcp)
{
	tcp->remembered = 1;
	xsRemember(tcp->object);
	if (!tcp->referenced) {
		tcp->referenced = 1;
		simRef();
	}
	tcp->watch.callback = simTCPEvents;
	simWatchAdd(&tcp->watch, simTCPInterest(tcp));
}

/* ECMA-419 `from`: the instance to take over, validated before anything is created. SyntaxError when it
 * is no open TCP instance (closed, another class, no object); Error("invalid from") when it has no
 * connection (never connected, or failed). */
static simTCP* simTCPFrom(xsMachine* the, xsSlot* from)
{
	simTCP* other = xsGetHostDataValidate(*from, (void*)&gTCPHooks);
	if (other->watch.fd < 0 || other->finished || (other->dead && other->error != SIM_ERR_OK))
		xsUnknownError("invalid from");
	return other;
}

/* Move the connection of `other` (its descriptor, unread input, queued output, state) into `tcp`; `other`
 * is closed by the transfer. */
static void simTCPTakeOver(xsMachine* the, simTCP* tcp, simTCP* other, xsSlot* from)
{
	simWatchRemove(&other->watch);
	tcp->watch.fd = other->watch.fd;
	other->watch.fd = -1;
	if (other->referenced) {
		other->referenced = 0;
		tcp->referenced = 1;
	}
	tcp->connecting = other->connecting;
	tcp->connected = other->connected;
	tcp->dead = other->dead;
	tcp->eof = other->eof;
	tcp->error = other->error;
	tcp->handed = other->handed;
	tcp->out = other->out;
	tcp->outOffset = other->outOffset;
	tcp->outLength = other->outLength;
	other->out = NULL;
	other->outLength = other->outOffset = 0;
	if (other->pendingLength) {
		/* copied: inside the other's onReadable they are still in the shared receive buffer */
		tcp->pendingOwned = malloc(other->pendingLength);
		if (tcp->pendingOwned) {
			memcpy(tcp->pendingOwned, other->pending, other->pendingLength);
			tcp->pending = tcp->pendingOwned;
			tcp->pendingLength = other->pendingLength;
		}
	}
	if (other->pendingOwned)
		free(other->pendingOwned);
	other->pendingOwned = other->pending = NULL;
	other->pendingLength = 0;
	memcpy(tcp->remoteAddress, other->remoteAddress, sizeof(tcp->remoteAddress));
	memcpy(tcp->localAddress, other->localAddress, sizeof(tcp->localAddress));
	tcp->remotePort = other->remotePort;
	tcp->localPort = other->localPort;
	simTCPDetach(the, other, from);
	if (!other->busy)
		simTCPFree(other);
}

/* new TCP({address, port, onReadable, onWritable, onError, format, noDelay, keepAlive, target}),
 * new TCP({from, ...}), or new TCP() (an empty instance that Listener.read() fills).
 * Errors as Moddable's lwIP TCP: a format other than "buffer" or "number" RangeError; a callback that is no
 * function Error("not a function"); a missing or unparsable address Error("invalid address"); a missing or
 * undefined port Error("invalid"), a symbol TypeError, out of 0..65535 RangeError; `from` no open TCP
 * instance SyntaxError. A refused or failed connection is reported by onError. */
void xs_tcp_constructor(xsMachine* the)
{
	simTCP* tcp;
	simTCP* other = NULL;
	int fd = -1, one = 1, number = 0, port = 0;
	uint32_t address = 0;
	xsVars(4);
	if (xsToInteger(xsArgc) < 1) {
		simTCPNew(the, -1);
		return;
	}
	if (xsTypeOf(xsArg(0)) != xsReferenceType)
		xsTypeError("options required");
	if (simOptionPresent(the, &xsArg(0), "format", &xsVar(0)) && xsTest(xsVar(0))) {
		char* format = xsToString(xsVar(0));
		if (!strcmp(format, "number")) number = 1;
		else if (strcmp(format, "buffer")) xsRangeError("unimplemented");
	}
	simGetCallback(the, &xsArg(0), "onReadable", &xsVar(1));
	simGetCallback(the, &xsArg(0), "onWritable", &xsVar(1));
	simGetCallback(the, &xsArg(0), "onError", &xsVar(1));
	if (simOptionPresent(the, &xsArg(0), "from", &xsVar(0)))
		other = simTCPFrom(the, &xsVar(0));
	else {
		xsVar(1) = xsGet(xsArg(0), xsID("address"));
		if (!simToIPv4(the, &xsVar(1), &address))
			xsUnknownError("invalid address");
		xsVar(1) = xsGet(xsArg(0), xsID("port"));
		port = simGetSignedInteger(the, &xsVar(1));
		if (port < 0 || port > 65535)
			xsRangeError("invalid port");
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			xsUnknownError("socket: %s", strerror(errno));
	}
	tcp = simTCPNew(the, fd);
	tcp->number = number;
	if (simGetCallback(the, &xsArg(0), "onReadable", &xsVar(1))) { tcp->onReadable = xsVar(1); tcp->hasReadable = 1; }
	if (simGetCallback(the, &xsArg(0), "onWritable", &xsVar(1))) { tcp->onWritable = xsVar(1); tcp->hasWritable = 1; }
	if (simGetCallback(the, &xsArg(0), "onError", &xsVar(1))) { tcp->onError = xsVar(1); tcp->hasError = 1; }
	if (simHasOption(the, &xsArg(0), "target", &xsVar(1)))
		xsDefine(xsThis, xsID("target"), xsVar(1), xsDefault);
	if (other)
		simTCPTakeOver(the, tcp, other, &xsVar(0));
	fd = tcp->watch.fd;
	if ((simHasOption(the, &xsArg(0), "noDelay", &xsVar(1)) || simHasOption(the, &xsArg(0), "nodelay", &xsVar(1)))) {
		int on = xsTest(xsVar(1)) ? 1 : 0;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	}
	if (simHasOption(the, &xsArg(0), "keepAlive", &xsVar(1))) {
		/* ECMA-419: keep-alive interval in ms -> idle time and probe interval, whole seconds */
		int seconds = (xsToInteger(xsVar(1)) + 999) / 1000;
		if (seconds > 0) {
			setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
			setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &seconds, sizeof(seconds));
			setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &seconds, sizeof(seconds));
		}
	}
	if (other) {
		/* as lwIP: what the new callbacks have to hear about comes on the next turn */
		uint8_t bits = 0;
		if (tcp->connected && tcp->hasWritable && simTCPWritable(tcp)) bits |= kTCPWritable;
		if (tcp->pendingLength && tcp->hasReadable) bits |= kTCPReadable;
		if (tcp->handed) bits |= kTCPWritable;
		if (tcp->dead) bits |= kTCPError;
		if (tcp->dead) {
			tcp->watch.callback = NULL;  /* failed: not watched again, onError is due */
			tcp->remembered = 1;
			xsRemember(tcp->object);
		}
		else
			simTCPStart(the, tcp);
		if (bits)
			simTCPTrigger(tcp, bits);
		return;
	}
	{
		struct sockaddr_in a;
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = address;
		a.sin_port = htons(port);
		/* as lwIP's tcp_connect(): the remote end is known at once */
		simFormatIPv4(address, tcp->remoteAddress);
		tcp->remotePort = port;
		tcp->connecting = 1;
		simTCPStart(the, tcp);
		if (connect(fd, (struct sockaddr*)&a, sizeof(a)) < 0 && errno != EINPROGRESS)
			simTCPFail(tcp, simErrFromErrno(errno));
		else
			simTCPAddresses(tcp);
	}
}

void simTCPAdopt(xsMachine* the, xsSlot* slot, int fd)
{
	simTCP* tcp = xsGetHostDataValidate(*slot, (void*)&gTCPHooks);
	if (tcp->watch.fd >= 0 || tcp->dead || tcp->finished)
		xsUnknownError("in use");
	tcp->watch.fd = fd;
	tcp->connected = 1;
	simTCPAddresses(tcp);
	simTCPStart(the, tcp);
}

/* read() -> ArrayBuffer of every byte available | undefined; read(byteLength) -> ArrayBuffer;
 * read(buffer) -> bytes copied into it (its whole length); "number" format: read() -> one byte.
 * As Moddable's: undefined when nothing is available (whatever the argument); asking for 0 bytes or for
 * more than are available throws Error("invalid"); a view of elements wider than a byte or no buffer throws
 * TypeError. */
void xs_tcp_read(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	size_t count;
	uint8_t byte = 0;
	if (!tcp->pendingLength)
		return;
	if (tcp->number) {
		byte = *tcp->pending;
		count = 1;
		xsResult = xsInteger(byte);
	}
	else {
		xsIntegerValue requested;
		void* data = NULL;
		if (xsToInteger(xsArgc) == 0)
			requested = (xsIntegerValue)tcp->pendingLength;
		else if (xsTypeOf(xsArg(0)) == xsReferenceType) {
			xsUnsignedValue length;
			_xsmcGetBuffer(the, &xsArg(0), &data, &length, 1);
			requested = (xsIntegerValue)length;
			xsResult = xsInteger(requested);
		}
		else
			requested = xsToInteger(xsArg(0));
		if (requested <= 0 || (size_t)requested > tcp->pendingLength)
			xsUnknownError("invalid");
		count = (size_t)requested;
		if (data)
			memcpy(data, tcp->pending, count);
		else
			xsResult = xsArrayBuffer(tcp->pending, (xsIntegerValue)count);
	}
	tcp->pending += count;
	tcp->pendingLength -= count;
	if (!tcp->pendingLength && !tcp->reading) {
		simTCPDropPending(tcp);
		if (tcp->dead)
			simTCPTrigger(tcp, kTCPError);  /* the deferred normal close */
		else
			simTCPUpdateInterest(tcp);     /* resume reading from the kernel */
	}
}

/* write(buffer) or, in "number" format, write(byte) -> the writable count left.
 * As Moddable's: Error("not ready") before the connection is up or after it failed; TypeError for a value
 * that is no buffer (in "buffer" format) or no number (a symbol, in "number" format); Error when more than
 * the writable count is given. */
void xs_tcp_write(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	void* data;
	xsUnsignedValue length;
	uint8_t byte;
	size_t writable;
	if (!tcp->connected || tcp->dead)
		xsUnknownError("not ready");
	if (xsToInteger(xsArgc) < 1)
		xsTypeError(tcp->number ? "byte required" : "buffer required");
	if (tcp->number) {
		byte = (uint8_t)xsToInteger(xsArg(0));
		data = &byte;
		length = 1;
	}
	else
		xsmcGetBufferReadable(xsArg(0), &data, &length);
	writable = simTCPWritable(tcp);
	if (length > writable)
		xsUnknownError("would block: %u bytes, %u writable", (unsigned)length, (unsigned)writable);
	if (!tcp->outLength) {
		/* nothing queued: hand it to the kernel at once */
		while (length) {
			ssize_t n = send(tcp->watch.fd, data, length, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK)
					simTCPFail(tcp, simErrFromErrno(errno));
				break;
			}
			data = (uint8_t*)data + n;
			length -= n;
			tcp->handed += n;
		}
		if (tcp->handed)
			simTCPTrigger(tcp, kTCPWritable);
	}
	if (length && !tcp->dead) {
		if (!tcp->out) {
			tcp->out = malloc(SIM_TCP_SEND_BUFFER);
			if (!tcp->out)
				xsUnknownError("out of memory");
		}
		if (tcp->outOffset + tcp->outLength + length > SIM_TCP_SEND_BUFFER) {
			memmove(tcp->out, tcp->out + tcp->outOffset, tcp->outLength);
			tcp->outOffset = 0;
		}
		memcpy(tcp->out + tcp->outOffset + tcp->outLength, data, length);
		tcp->outLength += length;
		simTCPUpdateInterest(tcp);
	}
	xsResult = xsInteger((xsIntegerValue)simTCPWritable(tcp));
}

/* close(): output already written is still delivered, then FIN (lwIP tcp_close). No callback follows.
 * A second close() does nothing; `this` of another class throws SyntaxError. */
void xs_tcp_close(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);    /* SyntaxError: no host object, or a host chunk */
	if (!tcp)
		return;                                /* closed already */
	tcp = simTCPGet(the);                    /* SyntaxError: an instance of another class */
	simTCPDetach(the, tcp, &xsThis);
	if (!tcp->reading)
		free(tcp->pendingOwned);
	tcp->pendingOwned = tcp->pending = NULL;
	tcp->pendingLength = 0;
	if (tcp->outLength && tcp->watch.fd >= 0 && !tcp->dead) {
		tcp->lingering = 1;
		simTCPUpdateInterest(tcp);
	}
	else
		simTCPRelease(tcp);
	if (!tcp->busy && !tcp->lingering)
		simTCPFree(tcp);
}

void xs_tcp_get_format(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	xsResult = xsString(tcp->number ? "number" : "buffer");
}

/* As Moddable's: RangeError for an unknown format or one TCP does not implement; TypeError for a symbol. */
void xs_tcp_set_format(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	char* format = xsToString(xsArg(0));
	if (!strcmp(format, "number")) tcp->number = 1;
	else if (!strcmp(format, "buffer")) tcp->number = 0;
	else xsRangeError("unimplemented");
}

void xs_tcp_get_remoteAddress(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	if (tcp->remoteAddress[0]) xsResult = xsString(tcp->remoteAddress);
}

void xs_tcp_get_remotePort(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	if (tcp->remotePort) xsResult = xsInteger(tcp->remotePort);
}

void xs_tcp_get_localAddress(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	if (tcp->localAddress[0]) xsResult = xsString(tcp->localAddress);
}

void xs_tcp_get_localPort(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	if (tcp->localPort) xsResult = xsInteger(tcp->localPort);
}

/* The descriptor of a connected or connecting TCP instance, or -1 (for xsnet/native's ttl); never throws */
int simTCPDescriptor(xsMachine* the, xsSlot* slot)
{
	simTCP* tcp = simHostDataIf(the, slot, &gTCPHooks);
	return (tcp && !tcp->dead && (tcp->connecting || tcp->connected)) ? tcp->watch.fd : -1;
}
