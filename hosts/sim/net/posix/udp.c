/* xsnet simulator, POSIX backend: UDP sockets, always bound (port 0 = any free port), and the stack's multicast
 * memberships. Datagrams are received while the owner is receiving (its queue has room); otherwise the kernel
 * drops what overflows, as a board's stack does. */
#include "posix.h"
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

struct simNetUDP {
	simWatch watch;            /* first */
	simNetUDP* next;           /* every open UDP socket, for the stack's multicast memberships */
	const simNetUDPUpcalls* up;
	void* owner;
	uint8_t receiving, closed;
	uint32_t address;
	uint16_t port;
};

/* Multicast groups joined through xsnet/native (lwIP's igmp_joingroup is global, not per socket):
 * every UDP socket, open or opened later, is a member. */
typedef struct posixGroup posixGroup;
struct posixGroup {
	posixGroup* next;
	uint32_t interface, group;
};
static posixGroup* gGroups = NULL;
static simNetUDP* gUDPs = NULL;
static uint8_t gPacketBuffer[65536];

/* 0, or the errno of setsockopt() */
static int posixUDPMembership(int fd, uint32_t interface, uint32_t group, int join)
{
	struct ip_mreq m;
	m.imr_multiaddr.s_addr = group;
	m.imr_interface.s_addr = interface;
	return setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof(m)) < 0 ? errno : 0;
}

/* Whether the system lets a socket join `group` on `interface`: 0 or an errno. A UDP socket of its own, so
 * that a join is checked whether or not a UDP socket is open (lwIP's igmp_joingroup() checks the interface
 * at once too). */
static int posixMulticastProbe(uint32_t interface, uint32_t group)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), error;
	if (fd < 0)
		return errno;
	error = posixUDPMembership(fd, interface, group, 1);
	close(fd);                  /* the probe's membership ends with it */
	return error;
}

/* -errno: then no open socket joined (those that had are made to leave again) */
int posixMulticastJoin(uint32_t interface, uint32_t group)
{
	posixGroup* g;
	simNetUDP *u, *v;
	int error = posixMulticastProbe(interface, group);
	if (error)
		return -error;
	for (g = gGroups; g; g = g->next)
		if (g->interface == interface && g->group == group)
			return 0;
	for (u = gUDPs; u; u = u->next) {
		error = posixUDPMembership(u->watch.fd, interface, group, 1);
		if (error && error != EADDRINUSE) {
			for (v = gUDPs; v != u; v = v->next)
				posixUDPMembership(v->watch.fd, interface, group, 0);
			return -error;
		}
	}
	g = calloc(1, sizeof(posixGroup));
	if (!g) {
		for (u = gUDPs; u; u = u->next)
			posixUDPMembership(u->watch.fd, interface, group, 0);
		return -ENOMEM;
	}
	g->interface = interface;
	g->group = group;
	g->next = gGroups;
	gGroups = g;
	return 0;
}

int posixMulticastLeave(uint32_t interface, uint32_t group)
{
	posixGroup** link = &gGroups;
	simNetUDP* u;
	while (*link) {
		posixGroup* g = *link;
		if (g->interface == interface && g->group == group) {
			*link = g->next;
			free(g);
			for (u = gUDPs; u; u = u->next)
				posixUDPMembership(u->watch.fd, interface, group, 0);
			return 0;
		}
		link = &g->next;
	}
	return -EADDRNOTAVAIL;
}

static void posixUDPEvents(simWatch* watch, uint32_t events)
{
	simNetUDP* u = (simNetUDP*)watch;
	int count = 0;
	while (u->receiving && !u->closed) {
		struct sockaddr_in a;
		socklen_t length = sizeof(a);
		ssize_t n = recvfrom(u->watch.fd, gPacketBuffer, sizeof(gPacketBuffer), 0, (struct sockaddr*)&a, &length);
		if (n < 0)
			break;
		count++;
		(*u->up->received)(u->owner, posixLend(gPacketBuffer, n), a.sin_addr.s_addr, ntohs(a.sin_port));
	}
	if (count && !u->closed)
		(*u->up->batch)(u->owner);
}

simNetUDP* posixUDPOpen(uint32_t address, uint16_t port, uint32_t multicast, const simNetUDPUpcalls* up, void* owner, int* error)
{
	simNetUDP* u;
	posixGroup* g;
	struct sockaddr_in a;
	socklen_t length = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*error = errno;
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)); /* lwIP sends to broadcast addresses too */
	if (multicast) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if ((*error = posixUDPMembership(fd, INADDR_ANY, multicast, 1))) {
			*error = -*error;
			close(fd);
			return NULL;
		}
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = address;
	a.sin_port = htons(port);
	if (bind(fd, (struct sockaddr*)&a, sizeof(a)) < 0) {
		*error = errno;
		close(fd);
		return NULL;
	}
	getsockname(fd, (struct sockaddr*)&a, &length);
	u = calloc(1, sizeof(simNetUDP));
	if (!u) {
		close(fd);
		*error = ENOMEM;
		return NULL;
	}
	u->watch.fd = fd;
	u->watch.callback = posixUDPEvents;
	u->watch.data = u;
	u->up = up;
	u->owner = owner;
	u->receiving = 1;
	u->address = a.sin_addr.s_addr;
	u->port = ntohs(a.sin_port);
	for (g = gGroups; g; g = g->next)
		posixUDPMembership(fd, g->interface, g->group, 1);
	u->next = gUDPs;
	gUDPs = u;
	simWatchAdd(&u->watch, EPOLLIN);
	return u;
}

int posixUDPSendTo(simNetUDP* u, const void* data, size_t length, uint32_t address, uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = address;
	a.sin_port = htons(port);
	return sendto(u->watch.fd, data, length, 0, (struct sockaddr*)&a, sizeof(a)) < 0 ? -errno : 0;
}

void posixUDPReceiving(simNetUDP* u, int on)
{
	u->receiving = on ? 1 : 0;
	simWatchModify(&u->watch, on ? EPOLLIN : 0);
}

int posixUDPAddress(simNetUDP* u, uint32_t* address, uint16_t* port)
{
	*address = u->address;
	*port = u->port;
	return 0;
}

int posixUDPMulticastTTL(simNetUDP* u, int ttl)
{
	return setsockopt(u->watch.fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ? -errno : 0;
}

int posixUDPTTL(simNetUDP* u, int ttl)
{
	socklen_t length = sizeof(ttl);
	if (ttl >= 0) {
		if (setsockopt(u->watch.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0)
			return -errno;
		setsockopt(u->watch.fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
	}
	if (getsockopt(u->watch.fd, IPPROTO_IP, IP_TTL, &ttl, &length) < 0)
		return -errno;
	return ttl;
}

void posixUDPClose(simNetUDP* u)
{
	simNetUDP** link = &gUDPs;
	while (*link) {
		if (*link == u) {
			*link = u->next;
			break;
		}
		link = &(*link)->next;
	}
	u->closed = 1;
	simWatchRemove(&u->watch);
	close(u->watch.fd);
	u->watch.fd = -1;
	simDeferFree(u);
}
