/* xsnet simulator: ECMA-419 `embedded:io/socket/tcp` over a non-blocking POSIX socket.
 *
 * Events: onWritable(bytes) first when connected, then whenever queued output drains;
 * onReadable(bytes) when bytes arrived; onError(code) once, with an lwIP 2.x err_t (0: the peer closed
 * normally, after every received byte was read; -14 ERR_RST: reset or refused; -13 ERR_ABRT: timeout;
 * -4 ERR_RTE: unreachable). ECMA-419 leaves the error type to "future work"; devices call onError()
 * with no argument.
 * System calls per echo round trip: epoll_wait, recv, send (no FIONREAD: bytes are received into one
 * shared buffer and the callback told how many; what the app leaves unread is kept per socket, and
 * the socket stops reading from the kernel until the app takes it, so TCP flow control reaches the peer).
 */
#include "sim.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

typedef struct simTCP simTCP;
struct simTCP {
	simWatch watch;            /* first: the loop hands us this pointer */
	xsSlot object;
	xsSlot onReadable, onWritable, onError;
	uint8_t remembered;        /* object kept alive: the socket is open (or its error is pending) */
	uint8_t connecting;
	uint8_t connected;
	uint8_t closed;            /* close() called: no more callbacks */
	uint8_t dead;              /* onError fired or about to */
	uint8_t eof;               /* the peer sent FIN */
	uint8_t number;            /* format "number" */
	uint8_t lingering;         /* closed with output still queued: flushing, then close(2) */
	uint8_t orphan;            /* the JS object is gone: free once lingering ends */
	uint8_t reading;           /* inside onReadable, `pending` points into the shared buffer */
	uint8_t referenced;        /* counted in simRef */
	uint8_t busy;              /* inside one of its callbacks: the object must stay remembered */
	uint8_t forgetLater;       /* released during a callback: forget the object after it */
	int error;                 /* err_t for onError */
	uint8_t* pending;          /* received bytes not yet read */
	size_t pendingLength;
	uint8_t* pendingOwned;     /* malloc'd copy when the app left bytes unread */
	uint8_t* out;              /* output the kernel did not take yet */
	size_t outOffset, outLength;
	simTimer errorTimer;       /* delivers onError outside of read() */
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
static void simTCPErrorTimer(simTimer* timer);

static void simTCPFree(simTCP* tcp)
{
	free(tcp->pendingOwned);
	free(tcp->out);
	simDeferFree(tcp);
}

/* Release the descriptor and everything that keeps the process alive for it. */
static void simTCPRelease(xsMachine* the, simTCP* tcp)
{
	if (tcp->watch.fd >= 0) {
		simWatchRemove(&tcp->watch);
		close(tcp->watch.fd);
		tcp->watch.fd = -1;
	}
	simTimerCancel(&tcp->errorTimer);
	if (tcp->referenced) {
		tcp->referenced = 0;
		simUnref();
	}
	if (tcp->remembered && the) {
		if (tcp->busy)
			tcp->forgetLater = 1;
		else {
			tcp->remembered = 0;
			xsForget(tcp->object);
		}
	}
}

/* Call one of the socket's callbacks. The object stays remembered until the callback returns, so
 * `tcp` is valid afterwards even if the callback closed the socket. */
static void simTCPCall(xsMachine* the, simTCP* tcp, xsSlot* fn, int value)
{
	xsSlot arg = xsInteger(value), object = tcp->object, function = *fn;
	tcp->busy++;
	simCallback(the, &object, &function, 1, &arg);
	tcp->busy--;
	if (!tcp->busy && tcp->forgetLater) {
		tcp->forgetLater = 0;
		if (tcp->remembered) {
			tcp->remembered = 0;
			xsForget(tcp->object);
		}
	}
}

void xs_tcp_destructor(void* data)
{
	simTCP* tcp = data;
	if (!tcp)
		return;
	if (tcp->lingering) {
		tcp->orphan = 1;
		return;
	}
	simTCPRelease(NULL, tcp);
	simTCPFree(tcp);
}

static simTCP* simTCPGet(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);
	if (!tcp)
		xsUnknownError("closed");
	return tcp;
}

static void simTCPUpdateInterest(simTCP* tcp)
{
	xsMachine* the = gSimMachine;
	uint32_t events = 0;
	if (tcp->watch.fd < 0)
		return;
	if (tcp->connecting || tcp->outLength)
		events |= EPOLLOUT;
	if (!tcp->connecting && !tcp->eof && !tcp->dead && !tcp->pendingLength && !tcp->lingering
		&& xsTypeOf(tcp->onReadable) != xsUndefinedType)
		events |= EPOLLIN;
	if (tcp->lingering)
		events |= EPOLLIN; /* to notice the peer's reset or FIN while flushing */
	simWatchModify(&tcp->watch, events | EPOLLRDHUP);
}

static void simTCPAddresses(simTCP* tcp)
{
	struct sockaddr_in a;
	socklen_t length = sizeof(a);
	if (getsockname(tcp->watch.fd, (struct sockaddr*)&a, &length) == 0) {
		simFormatIPv4(a.sin_addr.s_addr, tcp->localAddress);
		tcp->localPort = ntohs(a.sin_port);
	}
	length = sizeof(a);
	if (getpeername(tcp->watch.fd, (struct sockaddr*)&a, &length) == 0) {
		simFormatIPv4(a.sin_addr.s_addr, tcp->remoteAddress);
		tcp->remotePort = ntohs(a.sin_port);
	}
}

/* Report the error once, from the loop (never from inside read() or write()). */
static void simTCPFail(simTCP* tcp, int error)
{
	if (tcp->dead || tcp->closed)
		return;
	tcp->dead = 1;
	tcp->error = error;
	simTCPUpdateInterest(tcp);
	simTimerSchedule(&tcp->errorTimer, 0);
}

static void simTCPErrorTimer(simTimer* timer)
{
	simTCP* tcp = timer->data;
	xsMachine* the = gSimMachine;
	if (tcp->closed)
		return;
	if (tcp->error == SIM_ERR_OK && tcp->pendingLength)
		return; /* a normal close is reported once the app has read everything */
	if (gSimTrace)
		fprintf(stderr, "[tcp %d] onError(%d)\n", tcp->watch.fd, tcp->error);
	/* The connection is over: its descriptor no longer keeps the process alive. */
	tcp->busy++;
	simTCPRelease(the, tcp);
	tcp->busy--;
	if (xsTypeOf(tcp->onError) != xsUndefinedType)
		simTCPCall(the, tcp, &tcp->onError, tcp->error);
	else if (tcp->forgetLater) {
		tcp->forgetLater = 0;
		tcp->remembered = 0;
		xsForget(tcp->object);
	}
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
	if (xsTypeOf(tcp->onWritable) == xsUndefinedType || tcp->closed || tcp->dead)
		return;
	simTCPCall(the, tcp, &tcp->onWritable, (int)(SIM_TCP_SEND_BUFFER - tcp->outLength));
}

static void simTCPReceive(xsMachine* the, simTCP* tcp)
{
	ssize_t n;
	for (;;) {
		n = recv(tcp->watch.fd, gReadBuffer, sizeof(gReadBuffer), 0);
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
	tcp->pending = gReadBuffer;
	tcp->pendingLength = n;
	tcp->reading = 1;
	simTCPCall(the, tcp, &tcp->onReadable, (int)n);
	tcp->reading = 0;
	if (tcp->pendingLength && !tcp->closed) {
		/* The app left bytes unread (hold): keep them and stop reading from the kernel. */
		tcp->pendingOwned = malloc(tcp->pendingLength);
		memcpy(tcp->pendingOwned, tcp->pending, tcp->pendingLength);
		tcp->pending = tcp->pendingOwned;
	}
	else {
		tcp->pending = NULL;
		tcp->pendingLength = 0;
	}
	simTCPUpdateInterest(tcp);
}

static void simTCPEvents(simWatch* watch, uint32_t events)
{
	simTCP* tcp = (simTCP*)watch;
	xsMachine* the = gSimMachine;
	if (tcp->lingering) {
		int r = simTCPFlush(tcp);
		if (r < 0 || tcp->outLength == 0 || (events & (EPOLLERR | EPOLLHUP))) {
			tcp->lingering = 0;
			simTCPRelease(NULL, tcp);
			if (tcp->orphan)
				simTCPFree(tcp);
		}
		else if (events & EPOLLIN) {
			/* discard what the peer still sends while we flush */
			while (recv(tcp->watch.fd, gReadBuffer, sizeof(gReadBuffer), 0) > 0)
				;
		}
		return;
	}
	if (tcp->closed || tcp->dead)
		return;
	if (tcp->connecting) {
		int error = 0;
		socklen_t length = sizeof(error);
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		getsockopt(tcp->watch.fd, SOL_SOCKET, SO_ERROR, &error, &length);
		tcp->connecting = 0;
		if (error) {
			simTCPFail(tcp, simErrFromErrno(error));
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
		}
		else if (!tcp->connected) {
			/* an adopted socket (from a listener): announce it is writable once */
			tcp->connected = 1;
			simTCPUpdateInterest(tcp);
			simTCPCallWritable(the, tcp);
		}
		else
			simTCPUpdateInterest(tcp);
		if (tcp->closed || tcp->dead)
			return;
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		if (tcp->pendingLength)
			return;
		if (xsTypeOf(tcp->onReadable) == xsUndefinedType && !(events & (EPOLLHUP | EPOLLERR))) {
			simTCPUpdateInterest(tcp);
			return;
		}
		simTCPReceive(the, tcp);
	}
}

static simTCP* simTCPNew(xsMachine* the, int fd)
{
	simTCP* tcp = calloc(1, sizeof(simTCP));
	if (!tcp) {
		close(fd);
		xsUnknownError("out of memory");
	}
	tcp->watch.fd = fd;
	tcp->watch.callback = simTCPEvents;
	tcp->watch.data = tcp;
	tcp->errorTimer.callback = simTCPErrorTimer;
	tcp->errorTimer.data = tcp;
	tcp->onReadable = xsUndefined;
	tcp->onWritable = xsUndefined;
	tcp->onError = xsUndefined;
	tcp->object = xsThis;
	xsSetHostData(xsThis, tcp);
	xsSetHostHooks(xsThis, &gTCPHooks);
	return tcp;
}

/* Take the descriptor of another TCP instance (ECMA-419 `from`), which is closed by the transfer. */
static int simTCPSteal(xsMachine* the, xsSlot* from)
{
	simTCP* other;
	int fd;
	if (xsTypeOf(*from) == xsIntegerType || xsTypeOf(*from) == xsNumberType)
		return xsToInteger(*from); /* a descriptor accepted by the listener (listener.js) */
	if (xsTypeOf(*from) != xsReferenceType || fxGetHostHooks(the, from) != &gTCPHooks)
		xsTypeError("invalid from");
	other = xsGetHostData(*from);
	if (!other || other->watch.fd < 0 || other->closed || other->dead)
		xsTypeError("invalid from: socket is closed");
	fd = other->watch.fd;
	simWatchRemove(&other->watch);
	other->watch.fd = -1;
	other->closed = 1;
	simTCPRelease(the, other);
	return fd;
}

/* new TCP({address, port, onReadable, onWritable, onError, format, noDelay, target}) or ({from, ...}) */
void xs_tcp_constructor(xsMachine* the)
{
	simTCP* tcp;
	xsSlot value;
	int fd, one = 1, adopted = 0;
	uint32_t address = 0;
	int port = 0;
	xsVars(1);
	if (xsToInteger(xsArgc) < 1 || xsTypeOf(xsArg(0)) != xsReferenceType)
		xsTypeError("options required");
	if (simHasOption(the, &xsArg(0), "from", &xsVar(0))) {
		fd = simTCPSteal(the, &xsVar(0));
		adopted = 1;
	}
	else {
		if (!simHasOption(the, &xsArg(0), "address", &xsVar(0)))
			xsTypeError("address required");
		address = simParseIPv4(the, &xsVar(0));
		if (!simHasOption(the, &xsArg(0), "port", &xsVar(0)))
			xsTypeError("port required");
		port = xsToInteger(xsVar(0));
		if (port <= 0 || port > 65535)
			xsRangeError("invalid port");
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			xsUnknownError("socket: %s", strerror(errno));
	}
	tcp = simTCPNew(the, fd);
	if (simHasOption(the, &xsArg(0), "onReadable", &value)) tcp->onReadable = value;
	if (simHasOption(the, &xsArg(0), "onWritable", &value)) tcp->onWritable = value;
	if (simHasOption(the, &xsArg(0), "onError", &value)) tcp->onError = value;
	if (simHasOption(the, &xsArg(0), "target", &value))
		xsDefine(xsThis, xsID("target"), value, xsDefault);
	if (simHasOption(the, &xsArg(0), "format", &value)) {
		char* format = xsToString(value);
		if (!strcmp(format, "number")) tcp->number = 1;
		else if (strcmp(format, "buffer")) xsRangeError("invalid format");
	}
	if ((simHasOption(the, &xsArg(0), "noDelay", &value) || simHasOption(the, &xsArg(0), "nodelay", &value)) && xsTest(value))
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (simHasOption(the, &xsArg(0), "keepAlive", &value)) {
		/* ECMA-419: keep-alive interval in ms -> idle time and probe interval, whole seconds */
		int seconds = (xsToInteger(value) + 999) / 1000;
		if (seconds > 0) {
			setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
			setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &seconds, sizeof(seconds));
			setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &seconds, sizeof(seconds));
		}
	}
	if (adopted) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		simTCPAddresses(tcp);
	}
	else {
		struct sockaddr_in a;
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = address;
		a.sin_port = htons(port);
		tcp->connecting = 1;
		if (connect(fd, (struct sockaddr*)&a, sizeof(a)) < 0 && errno != EINPROGRESS) {
			int error = errno;
			tcp->connecting = 0;
			simTCPFail(tcp, simErrFromErrno(error));
		}
	}
	tcp->remembered = 1;
	xsRemember(tcp->object);
	tcp->referenced = 1;
	simRef();
	simWatchAdd(&tcp->watch, EPOLLOUT | EPOLLRDHUP); /* first EPOLLOUT: connected (or adopted) */
	if (tcp->dead)
		simTCPUpdateInterest(tcp);
}

/* read([byteLength]) -> ArrayBuffer | undefined; read(buffer) -> bytes copied into it;
 * "number" format: a byte or undefined */
void xs_tcp_read(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	size_t count;
	int argc = xsToInteger(xsArgc);
	if (tcp->closed)
		xsUnknownError("closed");
	if (argc > 0 && xsTypeOf(xsArg(0)) == xsReferenceType && !tcp->number) {
		void* data;
		xsUnsignedValue length;
		_xsmcGetBuffer(the, &xsArg(0), &data, &length, 1);
		count = tcp->pendingLength < length ? tcp->pendingLength : length;
		if (count)
			memcpy(data, tcp->pending, count);
		xsResult = xsInteger((int)count);
		if (!count)
			return;
	}
	else if (!tcp->pendingLength)
		return;
	else if (tcp->number) {
		xsResult = xsInteger(*tcp->pending);
		count = 1;
	}
	else {
		count = tcp->pendingLength;
		if (xsToInteger(xsArgc) > 0 && xsTypeOf(xsArg(0)) != xsUndefinedType) {
			int wanted = xsToInteger(xsArg(0));
			if (wanted < 0)
				xsRangeError("invalid byteLength");
			if ((size_t)wanted < count)
				count = wanted;
		}
		xsResult = xsArrayBuffer(tcp->pending, (xsIntegerValue)count);
	}
	tcp->pending += count;
	tcp->pendingLength -= count;
	if (!tcp->pendingLength && !tcp->reading) {
		free(tcp->pendingOwned);
		tcp->pendingOwned = NULL;
		tcp->pending = NULL;
		if (tcp->dead)
			simTimerSchedule(&tcp->errorTimer, 0); /* the deferred normal close */
		else
			simTCPUpdateInterest(tcp);     /* resume reading from the kernel */
	}
}

/* write(buffer | byte) -> bytes still writable. Throws if more than the writable count is given. */
void xs_tcp_write(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	void* data;
	xsUnsignedValue length;
	uint8_t byte;
	if (tcp->closed)
		xsUnknownError("closed");
	if (tcp->dead)
		xsUnknownError("not connected");
	if (tcp->connecting)
		xsUnknownError("not connected yet");
	if (xsTypeOf(xsArg(0)) == xsIntegerType || xsTypeOf(xsArg(0)) == xsNumberType) {
		byte = (uint8_t)xsToInteger(xsArg(0));
		data = &byte;
		length = 1;
	}
	else
		xsmcGetBufferReadable(xsArg(0), &data, &length);
	if (length > SIM_TCP_SEND_BUFFER - tcp->outLength)
		xsUnknownError("write of %u bytes exceeds the writable count (%u)", (unsigned)length, (unsigned)(SIM_TCP_SEND_BUFFER - tcp->outLength));
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
		}
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
	xsResult = xsInteger((int)(SIM_TCP_SEND_BUFFER - tcp->outLength));
}

/* close(): output already written is still delivered, then FIN (lwIP tcp_close). No callback follows. */
void xs_tcp_close(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);
	if (!tcp || tcp->closed)
		return;
	tcp->closed = 1;
	simTimerCancel(&tcp->errorTimer);
	tcp->pendingLength = 0;
	if (tcp->outLength && tcp->watch.fd >= 0 && !tcp->dead) {
		tcp->lingering = 1;
		simTCPUpdateInterest(tcp);
		if (tcp->remembered) {
			if (tcp->busy)
				tcp->forgetLater = 1;
			else {
				tcp->remembered = 0;
				xsForget(tcp->object);
			}
		}
		return;
	}
	simTCPRelease(the, tcp);
}

void xs_tcp_get_format(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	xsResult = xsString(tcp->number ? "number" : "buffer");
}

void xs_tcp_set_format(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	char* format = xsToString(xsArg(0));
	if (!strcmp(format, "number")) tcp->number = 1;
	else if (!strcmp(format, "buffer")) tcp->number = 0;
	else xsRangeError("invalid format");
}

void xs_tcp_get_remoteAddress(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);
	if (tcp && tcp->remoteAddress[0]) xsResult = xsString(tcp->remoteAddress);
}

void xs_tcp_get_remotePort(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);
	if (tcp && tcp->remotePort) xsResult = xsInteger(tcp->remotePort);
}

void xs_tcp_get_localAddress(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);
	if (tcp && tcp->localAddress[0]) xsResult = xsString(tcp->localAddress);
}

void xs_tcp_get_localPort(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);
	if (tcp && tcp->localPort) xsResult = xsInteger(tcp->localPort);
}

/* The descriptor of a connected or connecting TCP instance, or -1 (for xsnet/native's ttl) */
int simTCPDescriptor(xsMachine* the, xsSlot* slot)
{
	simTCP* tcp;
	if (xsTypeOf(*slot) != xsReferenceType || fxGetHostHooks(the, slot) != &gTCPHooks)
		return -1;
	tcp = xsGetHostData(*slot);
	return (tcp && !tcp->closed && !tcp->dead) ? tcp->watch.fd : -1;
}
