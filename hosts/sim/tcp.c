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
 * the kernel until the app takes some, so TCP flow control reaches the peer). The event loop side is in
 * tcpio.c, the record they share in tcp.h.
 */
#include "tcp.h"
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

void xs_tcp_destructor(void* data);
static void simTCPMark(txMachine* the, void* data, txMarkRoot markRoot)
{
	simTCP* tcp = data;
	(*markRoot)(the, (txSlot*)&tcp->onReadable);
	(*markRoot)(the, (txSlot*)&tcp->onWritable);
	(*markRoot)(the, (txSlot*)&tcp->onError);
}
static const xsHostHooks gTCPHooks = { xs_tcp_destructor, simTCPMark, NULL };

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

/* A record for xsThis, attached to it; `fd` may be -1 (an empty instance: `new TCP()`). */
static simTCP* simTCPNew(xsMachine* the, int fd)
{
	simTCP* tcp = calloc(1, sizeof(simTCP));
	if (!tcp) {
		if (fd >= 0)
			close(fd);
		xsUnknownError("out of memory");
	}
	tcp->the = the;
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
			/* ended: not watched again, onError is due; output queued before the peer's FIN is still flushed */
			tcp->watch.callback = NULL;
			if (tcp->error == SIM_ERR_OK && tcp->outLength && tcp->watch.fd >= 0) {
				tcp->watch.callback = simTCPEvents;
				simWatchAdd(&tcp->watch, simTCPInterest(tcp));
			}
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
	else if (!tcp->reading && !tcp->dead)
		simTCPUpdateInterest(tcp);         /* a partial read outside onReadable reopens the window, as on lwIP */
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

/* close(): output already written is still delivered, then FIN (lwIP tcp_close), also after the peer's FIN
 * (a half-closed connection). No callback follows.
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
	if (tcp->outLength && tcp->watch.fd >= 0 && tcp->watch.callback && (!tcp->dead || tcp->error == SIM_ERR_OK)) {
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
