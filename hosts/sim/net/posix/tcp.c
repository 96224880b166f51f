/* xsnet simulator, POSIX backend: TCP connections over non-blocking sockets.
 * Output the kernel does not take at once is queued (SIM_TCP_SEND_BUFFER) and flushed on EPOLLOUT; received
 * bytes go into one shared buffer lent to the owner's received upcall; reading stops while
 * SIM_TCP_RECEIVE_WINDOW bytes are received and not consumed (tcpRecved), so TCP flow control reaches the peer.
 * After the peer's FIN, queued output is still flushed (as lwIP keeps sending what tcp_write() took); close
 * with `flush` sends it, then FIN (the lingering close). A connection with output queued keeps the process
 * alive. System calls per echo round trip: epoll_wait, recv, send. */
#include "posix.h"
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

struct simNetTCP {
	simWatch watch;            /* first: the loop hands us this pointer */
	const simNetTCPUpcalls* up;
	void* owner;
	uint8_t connecting, connected;
	uint8_t eof;               /* the peer sent FIN: no more receiving; output still flushed */
	uint8_t failed;            /* failed upcall made or due: not watched */
	uint8_t closing;           /* closed by the owner with output queued: flushing, then close(2) */
	uint8_t closed;            /* closed by the owner: no upcall */
	uint8_t referenced;        /* counted in simRef while output is queued */
	int error;                 /* err_t due from `later` */
	size_t unconsumed;         /* received, not yet consumed by the owner (tcpRecved) */
	uint8_t* out;              /* output the kernel did not take yet */
	size_t outOffset, outLength;
	simTimer later;            /* reports a failure found inside a downcall, from the loop */
};

static uint8_t gReadBuffer[SIM_TCP_READ_MAX];
static void posixTCPEvents(simWatch* watch, uint32_t events);

static simNetTCP* posixTCPNew(int fd)
{
	simNetTCP* tcp = calloc(1, sizeof(simNetTCP));
	if (!tcp)
		return NULL;
	tcp->watch.fd = fd;
	tcp->watch.data = tcp;
	tcp->later.data = tcp;
	return tcp;
}

/* The epoll events the connection needs now. */
static uint32_t posixTCPInterest(simNetTCP* tcp)
{
	uint32_t events = 0;
	if (tcp->connecting || tcp->outLength)
		events |= EPOLLOUT;
	if (tcp->closing) {
		if (!tcp->eof)
			events |= EPOLLIN | EPOLLRDHUP; /* to notice the peer's FIN while flushing (ERR and HUP always come) */
	}
	else if (tcp->connected && !tcp->eof && tcp->unconsumed < SIM_TCP_RECEIVE_WINDOW)
		events |= EPOLLIN | EPOLLRDHUP;
	return events;
}

static void posixTCPUpdate(simNetTCP* tcp)
{
	if (tcp->watch.fd >= 0 && tcp->watch.callback && !tcp->failed)
		simWatchModify(&tcp->watch, posixTCPInterest(tcp));
}

/* Count the connection as pending work while output is queued. */
static void posixTCPReference(simNetTCP* tcp)
{
	int want = tcp->outLength && tcp->watch.fd >= 0;
	if (want && !tcp->referenced) simRef();
	if (!want && tcp->referenced) simUnref();
	tcp->referenced = want;
}

static void posixTCPRelease(simNetTCP* tcp)
{
	if (tcp->watch.fd >= 0) {
		simWatchRemove(&tcp->watch);
		close(tcp->watch.fd);
		tcp->watch.fd = -1;
	}
	tcp->outLength = tcp->outOffset = 0;
	posixTCPReference(tcp);
}

static void posixTCPFree(simNetTCP* tcp)
{
	simTimerCancel(&tcp->later);
	posixTCPRelease(tcp);
	free(tcp->out);
	simDeferFree(tcp);
}

/* The connection failed: stop watching (a reset descriptor reports EPOLLERR forever), drop queued output,
 * tell the owner (now, from the loop; `later` when found inside a downcall). */
static void posixTCPFail(simNetTCP* tcp, int error, int now)
{
	if (tcp->failed)
		return;
	tcp->failed = 1;
	tcp->connecting = tcp->connected = 0;
	tcp->error = error;
	if (tcp->watch.fd >= 0)
		simWatchRemove(&tcp->watch);
	tcp->outLength = tcp->outOffset = 0;
	posixTCPReference(tcp);
	if (now) {
		if (!tcp->closed)
			(*tcp->up->failed)(tcp->owner, error);
	}
	else
		simTimerSchedule(&tcp->later, 0);
}

static void posixTCPLater(simTimer* timer)
{
	simNetTCP* tcp = timer->data;
	if (!tcp->closed)
		(*tcp->up->failed)(tcp->owner, tcp->error);
}

simNetTCP* posixTCPConnect(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error)
{
	struct sockaddr_in a;
	simNetTCP* tcp;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*error = errno;
		return NULL;
	}
	tcp = posixTCPNew(fd);
	if (!tcp) {
		close(fd);
		*error = ENOMEM;
		return NULL;
	}
	tcp->up = up;
	tcp->owner = owner;
	tcp->later.callback = posixTCPLater;
	tcp->connecting = 1;
	tcp->watch.callback = posixTCPEvents;
	simWatchAdd(&tcp->watch, posixTCPInterest(tcp));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = address;
	a.sin_port = htons(port);
	if (connect(fd, (struct sockaddr*)&a, sizeof(a)) < 0 && errno != EINPROGRESS)
		posixTCPFail(tcp, posixErr(errno), 0);
	return tcp;
}

simNetTCP* posixTCPAccepted(int fd)
{
	simNetTCP* tcp = posixTCPNew(fd);
	if (!tcp) {
		close(fd);
		return NULL;
	}
	tcp->later.callback = posixTCPLater;
	tcp->connected = 1;
	return tcp;
}

void posixTCPAdopt(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner)
{
	tcp->up = up;
	tcp->owner = owner;
	if (!tcp->watch.callback && tcp->watch.fd >= 0 && !tcp->failed) {
		tcp->watch.callback = posixTCPEvents;
		simWatchAdd(&tcp->watch, posixTCPInterest(tcp));
	}
}

size_t posixTCPSndbuf(simNetTCP* tcp)
{
	return tcp->outLength < SIM_TCP_SEND_BUFFER ? SIM_TCP_SEND_BUFFER - tcp->outLength : 0;
}

size_t posixTCPQueued(simNetTCP* tcp)
{
	return tcp->outLength;
}

size_t posixTCPWrite(simNetTCP* tcp, const void* data, size_t length)
{
	size_t taken = 0, room;
	if (tcp->failed || tcp->watch.fd < 0)
		return 0;
	if (!tcp->outLength) {
		/* nothing queued: hand it to the kernel at once */
		while (length) {
			ssize_t n = send(tcp->watch.fd, data, length, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK) {
					posixTCPFail(tcp, posixErr(errno), 0);
					return taken + length;      /* taken, and lost with the connection */
				}
				break;
			}
			data = (const uint8_t*)data + n;
			length -= n;
			taken += n;
		}
	}
	room = posixTCPSndbuf(tcp);
	if (length > room)
		length = room;
	if (length) {
		if (!tcp->out) {
			tcp->out = malloc(SIM_TCP_SEND_BUFFER);
			if (!tcp->out)
				return taken;
		}
		if (tcp->outOffset + tcp->outLength + length > SIM_TCP_SEND_BUFFER) {
			memmove(tcp->out, tcp->out + tcp->outOffset, tcp->outLength);
			tcp->outOffset = 0;
		}
		memcpy(tcp->out + tcp->outOffset + tcp->outLength, data, length);
		tcp->outLength += length;
		taken += length;
		posixTCPUpdate(tcp);
		posixTCPReference(tcp);
	}
	return taken;
}

void posixTCPRecved(simNetTCP* tcp, size_t length)
{
	tcp->unconsumed = length < tcp->unconsumed ? tcp->unconsumed - length : 0;
	posixTCPUpdate(tcp);
}

void posixTCPClose(simNetTCP* tcp, int flush)
{
	tcp->closed = 1;
	simTimerCancel(&tcp->later);
	if (flush && tcp->outLength && tcp->watch.fd >= 0 && tcp->watch.callback && !tcp->failed) {
		tcp->closing = 1;
		posixTCPUpdate(tcp);
		return;
	}
	posixTCPFree(tcp);
}

void posixTCPAbort(simNetTCP* tcp)
{
	if (tcp->watch.fd >= 0) {
		struct linger linger = { 1, 0 };   /* close(2) then resets the connection */
		setsockopt(tcp->watch.fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
	}
	tcp->closed = 1;
	posixTCPFree(tcp);
}

int posixTCPAddress(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port)
{
	struct sockaddr_in a;
	socklen_t length = sizeof(a);
	if (tcp->watch.fd < 0)
		return -1;
	if ((remote ? getpeername : getsockname)(tcp->watch.fd, (struct sockaddr*)&a, &length) < 0 || !a.sin_port)
		return -1;
	*address = a.sin_addr.s_addr;
	*port = ntohs(a.sin_port);
	return 0;
}

int posixTCPTTL(simNetTCP* tcp, int ttl)
{
	socklen_t length = sizeof(ttl);
	if (tcp->watch.fd < 0)
		return -EBADF;
	if (ttl >= 0 && setsockopt(tcp->watch.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0)
		return -errno;
	if (getsockopt(tcp->watch.fd, IPPROTO_IP, IP_TTL, &ttl, &length) < 0)
		return -errno;
	return ttl;
}

void posixTCPOption(simNetTCP* tcp, int option, int value)
{
	int one = 1;
	if (tcp->watch.fd < 0)
		return;
	if (option == kSimNetNoDelay)
		setsockopt(tcp->watch.fd, IPPROTO_TCP, TCP_NODELAY, &value, sizeof(value));
	else if (option == kSimNetKeepAlive && value > 0) {
		setsockopt(tcp->watch.fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
		setsockopt(tcp->watch.fd, IPPROTO_TCP, TCP_KEEPIDLE, &value, sizeof(value));
		setsockopt(tcp->watch.fd, IPPROTO_TCP, TCP_KEEPINTVL, &value, sizeof(value));
	}
}

/* 0, or -errno */
static int posixTCPFlush(simNetTCP* tcp)
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

/* Receive what the kernel has, up to the window, into the shared buffer lent to the owner. */
static void posixTCPReceive(simNetTCP* tcp)
{
	size_t room = SIM_TCP_RECEIVE_WINDOW - tcp->unconsumed;
	ssize_t n;
	for (;;) {
		n = recv(tcp->watch.fd, gReadBuffer, room < sizeof(gReadBuffer) ? room : sizeof(gReadBuffer), 0);
		if (n >= 0 || errno != EINTR)
			break;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			posixTCPFail(tcp, posixErr(errno), 1);
		return;
	}
	if (n == 0) {
		/* the peer's FIN: output queued is still flushed (EPOLLOUT only), else nothing more to watch */
		tcp->eof = 1;
		tcp->connected = 0;
		if (tcp->outLength)
			posixTCPUpdate(tcp);
		else
			simWatchRemove(&tcp->watch);
		(*tcp->up->received)(tcp->owner, NULL);
		return;
	}
	tcp->unconsumed += n;
	(*tcp->up->received)(tcp->owner, posixLend(gReadBuffer, n));
	if (!tcp->closed)
		posixTCPUpdate(tcp);
}

static void posixTCPEventsOpen(simNetTCP* tcp, uint32_t events)
{
	if (tcp->connecting) {
		int error = 0;
		socklen_t length = sizeof(error);
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		getsockopt(tcp->watch.fd, SOL_SOCKET, SO_ERROR, &error, &length);
		tcp->connecting = 0;
		if (error || (events & (EPOLLERR | EPOLLHUP)) == (EPOLLERR | EPOLLHUP)) {
			posixTCPFail(tcp, posixErr(error ? error : ECONNREFUSED), 1);
			return;
		}
		tcp->connected = 1;
		posixTCPUpdate(tcp);
		(*tcp->up->connected)(tcp->owner);
		return;
	}
	if (events & EPOLLOUT) {
		if (tcp->outLength) {
			int r = posixTCPFlush(tcp);
			if (r < 0) {
				posixTCPFail(tcp, posixErr(-r), 1);
				return;
			}
			posixTCPUpdate(tcp);
			posixTCPReference(tcp);
			(*tcp->up->writable)(tcp->owner, posixTCPSndbuf(tcp));
			if (tcp->closed || tcp->failed || tcp->eof)
				return;
		}
		else
			posixTCPUpdate(tcp);
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		if (tcp->unconsumed >= SIM_TCP_RECEIVE_WINDOW) {
			/* the window is full: only a failure is taken now (HUP and ERR cannot be masked) */
			if (events & (EPOLLHUP | EPOLLERR)) {
				int error = 0;
				socklen_t length = sizeof(error);
				getsockopt(tcp->watch.fd, SOL_SOCKET, SO_ERROR, &error, &length);
				if (!error) {
					tcp->eof = 1;
					tcp->connected = 0;
					simWatchRemove(&tcp->watch);
					(*tcp->up->received)(tcp->owner, NULL);
				}
				else
					posixTCPFail(tcp, posixErr(error), 1);
			}
			return;
		}
		posixTCPReceive(tcp);
	}
}

/* After the peer's FIN: flush the queued output; once it is all sent (or the connection failed: then it is
 * dropped, nobody is told, as lwIP after its callbacks were removed), stop watching; the descriptor stays open
 * (no FIN) until the owner closes. */
static void posixTCPEventsEnded(simNetTCP* tcp, uint32_t events)
{
	int r = posixTCPFlush(tcp);
	if (r < 0 || tcp->outLength == 0 || (events & (EPOLLERR | EPOLLHUP))) {
		tcp->outLength = tcp->outOffset = 0;
		simWatchRemove(&tcp->watch);
		posixTCPReference(tcp);
		if (!tcp->closed && r == 0)
			(*tcp->up->writable)(tcp->owner, posixTCPSndbuf(tcp));
	}
}

static void posixTCPEvents(simWatch* watch, uint32_t events)
{
	simNetTCP* tcp = (simNetTCP*)watch;
	if (tcp->closing) {
		int r = posixTCPFlush(tcp);
		if (r < 0 || tcp->outLength == 0 || (events & (EPOLLERR | EPOLLHUP)))
			posixTCPFree(tcp);
		else if (events & (EPOLLIN | EPOLLRDHUP)) {
			/* discard what the peer still sends while we flush; after its FIN, flush on EPOLLOUT only */
			ssize_t n;
			while ((n = recv(tcp->watch.fd, gReadBuffer, sizeof(gReadBuffer), 0)) > 0)
				;
			if (n == 0) {
				tcp->eof = 1;
				posixTCPUpdate(tcp);
			}
		}
	}
	else if (tcp->eof)
		posixTCPEventsEnded(tcp, events);
	else if (!tcp->failed && !tcp->closed)
		posixTCPEventsOpen(tcp, events);
}
