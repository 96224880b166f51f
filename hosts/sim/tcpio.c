/* xsnet simulator: an embedded:io/socket/tcp record's side of the event loop (the class is in tcp.c): epoll
 * readiness, receiving into the shared buffer or after unread bytes, flushing queued output, and the trigger
 * timer that delivers onWritable, onReadable and onError on a later turn, as lwIP's tcpDeliver does. */
#include "tcp.h"
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

static uint8_t gReadBuffer[SIM_TCP_READ_MAX];

/* Close the descriptor and stop counting it as pending work (no XS call: also used by the destructor). */
void simTCPRelease(simTCP* tcp)
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

void simTCPForget(xsMachine* the, simTCP* tcp)
{
	if (tcp->remembered) {
		tcp->remembered = 0;
		xsForget(tcp->object);
	}
}

void simTCPDropPending(simTCP* tcp)
{
	free(tcp->pendingOwned);
	tcp->pendingOwned = NULL;
	tcp->pending = NULL;
	tcp->pendingLength = 0;
}

void simTCPFree(simTCP* tcp)
{
	simTimerCancel(&tcp->trigger);
	simTCPRelease(tcp);
	free(tcp->pendingOwned);
	free(tcp->out);
	simDeferFree(tcp);
}

/* The record is freed once no instance refers to it, no C frame uses it and no output is being flushed. */
void simTCPLeave(simTCP* tcp)
{
	if (--tcp->busy == 0 && !tcp->attached && !tcp->lingering)
		simTCPFree(tcp);
}

/* Call one of the instance's callbacks; the caller holds `busy`. */
static void simTCPCall(xsMachine* the, simTCP* tcp, xsSlot* fn, int argc, size_t value)
{
	xsSlot arg = xsInteger((xsIntegerValue)value), object = tcp->object, function = *fn;
	simCallback(the, &object, &function, argc, &arg);
}

void simTCPTrigger(simTCP* tcp, uint8_t bits)
{
	tcp->triggered |= bits;
	if (!tcp->trigger.scheduled)
		simTimerSchedule(&tcp->trigger, 0);
}

size_t simTCPWritable(simTCP* tcp)
{
	size_t used = tcp->outLength + tcp->handed;
	return used < SIM_TCP_SEND_BUFFER ? SIM_TCP_SEND_BUFFER - used : 0;
}

uint32_t simTCPInterest(simTCP* tcp)
{
	uint32_t events = 0;
	if (tcp->connecting || tcp->outLength)
		events |= EPOLLOUT;
	if (tcp->lingering) {
		if (!tcp->eof)
			events |= EPOLLIN | EPOLLRDHUP; /* to notice the peer's FIN while flushing (ERR and HUP always come) */
	}
	else if (tcp->connected && !tcp->eof && !tcp->dead && tcp->pendingLength < SIM_TCP_RECEIVE_WINDOW)
		events |= EPOLLIN | EPOLLRDHUP;
	return events;
}

void simTCPUpdateInterest(simTCP* tcp)
{
	if (tcp->watch.fd >= 0 && tcp->watch.callback)
		simWatchModify(&tcp->watch, simTCPInterest(tcp));
}

void simTCPAddresses(simTCP* tcp)
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
 * descriptor is no longer watched (a reset one would report EPOLLERR forever), except after the peer's
 * normal close (FIN, `error` 0) with output queued: as lwIP keeps sending the segments tcp_write() took
 * after the peer's FIN, the queue is still flushed (EPOLLOUT only), while write() refuses more ("not ready"). */
void simTCPFail(simTCP* tcp, int error)
{
	if (tcp->dead)
		return;
	tcp->dead = 1;
	tcp->connected = 0;
	tcp->connecting = 0;
	tcp->error = error;
	if (tcp->watch.fd >= 0) {
		if (error == SIM_ERR_OK && tcp->outLength)
			simTCPUpdateInterest(tcp);
		else
			simWatchRemove(&tcp->watch);
	}
	simTCPTrigger(tcp, kTCPError);
}

/* Deliver onError: the descriptor no longer keeps the process alive, nor the instance. Output still queued
 * after the peer's normal close keeps the descriptor (and the process) until it is flushed; close() then
 * sends FIN after it (the lingering close), as lwIP's tcp_close() does. */
static void simTCPFinish(xsMachine* the, simTCP* tcp)
{
	tcp->finished = 1;
	if (simTracing())
		fprintf(stderr, "[tcp %d] onError(%d)\n", tcp->watch.fd, tcp->error);
	if (!(tcp->error == SIM_ERR_OK && tcp->outLength && tcp->watch.fd >= 0 && tcp->watch.callback))
		simTCPRelease(tcp);
	simTCPForget(the, tcp);
	if (tcp->hasError)
		simTCPCall(the, tcp, &tcp->onError, 1, (size_t)(intptr_t)tcp->error);
}

/* The trigger timer: what lwIP's tcpDeliver does on the next turn. */
void simTCPDeliver(simTimer* timer)
{
	simTCP* tcp = timer->data;
	xsMachine* the = tcp->the;
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
	if (simTracing())
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
		if (simTracing())
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

/* After the peer's normal close, before close(): flush the queued output; once it is all sent (or the
 * connection failed: then it is dropped, nobody is told, as lwIP after its callbacks were removed), stop
 * watching; the descriptor stays open (no FIN) until close() or the destructor. */
static void simTCPEventsEnded(simTCP* tcp, uint32_t events)
{
	int r = simTCPFlush(tcp);
	if (r < 0 || tcp->outLength == 0 || (events & (EPOLLERR | EPOLLHUP))) {
		tcp->outLength = tcp->outOffset = 0;
		simWatchRemove(&tcp->watch);
		if (tcp->finished && tcp->referenced) {
			tcp->referenced = 0;       /* onError was delivered: nothing left to wait for */
			simUnref();
		}
	}
}

void simTCPEvents(simWatch* watch, uint32_t events)
{
	simTCP* tcp = (simTCP*)watch;
	tcp->busy++;
	if (tcp->lingering) {
		int r = simTCPFlush(tcp);
		if (r < 0 || tcp->outLength == 0 || (events & (EPOLLERR | EPOLLHUP))) {
			tcp->lingering = 0;
			simTCPRelease(tcp);
		}
		else if (events & (EPOLLIN | EPOLLRDHUP)) {
			/* discard what the peer still sends while we flush; after its FIN, flush on EPOLLOUT only */
			ssize_t n;
			while ((n = recv(tcp->watch.fd, gReadBuffer, sizeof(gReadBuffer), 0)) > 0)
				;
			if (n == 0) {
				tcp->eof = 1;
				simTCPUpdateInterest(tcp);
			}
		}
	}
	else if (tcp->dead && tcp->outLength && tcp->error == SIM_ERR_OK)
		simTCPEventsEnded(tcp, events);
	else if (tcp->attached && !tcp->dead)
		simTCPEventsOpen(tcp->the, tcp, events);
	simTCPLeave(tcp);
}

