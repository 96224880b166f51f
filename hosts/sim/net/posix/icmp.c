/* xsnet simulator, POSIX backend: the ICMP socket (lwIP: raw_new(IP_PROTO_ICMP)). An unprivileged ICMP datagram
 * socket when the system allows it (the kernel then sets the echo identifier), else a raw socket (root), whose
 * IP header is taken off what it receives. */
#include "posix.h"
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

struct simNetICMP {
	simWatch watch;            /* first */
	const simNetICMPUpcalls* up;
	void* owner;
	uint8_t raw, receiving, closed;
};

static uint8_t gICMPBuffer[65536];

static void posixICMPEvents(simWatch* watch, uint32_t events)
{
	simNetICMP* s = (simNetICMP*)watch;
	int count = 0;
	while (s->receiving && !s->closed) {
		struct sockaddr_in a;
		socklen_t length = sizeof(a);
		ssize_t n = recvfrom(s->watch.fd, gICMPBuffer, sizeof(gICMPBuffer), 0, (struct sockaddr*)&a, &length);
		uint8_t* data = gICMPBuffer;
		if (n < 0)
			break;
		if (s->raw) {
			/* a raw socket delivers the IP header too */
			int header = (n > 0) ? (gICMPBuffer[0] & 0x0F) * 4 : 0;
			if (n < header)
				continue;
			data += header;
			n -= header;
		}
		count++;
		(*s->up->received)(s->owner, posixLend(data, n), a.sin_addr.s_addr);
	}
	if (count && !s->closed)
		(*s->up->batch)(s->owner);
}

simNetICMP* posixICMPOpen(const simNetICMPUpcalls* up, void* owner, int* error)
{
	simNetICMP* s;
	int raw = 0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0) {
		fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
		raw = 1;
	}
	if (fd < 0) {
		*error = errno;
		return NULL;
	}
	s = calloc(1, sizeof(simNetICMP));
	if (!s) {
		close(fd);
		*error = ENOMEM;
		return NULL;
	}
	s->watch.fd = fd;
	s->watch.callback = posixICMPEvents;
	s->watch.data = s;
	s->up = up;
	s->owner = owner;
	s->raw = raw;
	s->receiving = 1;
	simWatchAdd(&s->watch, EPOLLIN);
	return s;
}

int posixICMPSendTo(simNetICMP* s, const void* data, size_t length, uint32_t address)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = address;
	return sendto(s->watch.fd, data, length, 0, (struct sockaddr*)&a, sizeof(a)) < 0 ? -errno : 0;
}

void posixICMPReceiving(simNetICMP* s, int on)
{
	s->receiving = on ? 1 : 0;
	simWatchModify(&s->watch, on ? EPOLLIN : 0);
}

void posixICMPClose(simNetICMP* s)
{
	s->closed = 1;
	simWatchRemove(&s->watch);
	close(s->watch.fd);
	s->watch.fd = -1;
	simDeferFree(s);
}
