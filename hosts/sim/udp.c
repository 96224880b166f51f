/* xsnet simulator: ECMA-419 `embedded:io/socket/udp`. Always bound (port 0 = any free port) so that
 * `port`/`address` (an extension of ours) tell the local end. Datagrams are received into a queue of
 * SIM_UDP_QUEUE; onReadable(count) tells how many wait; when the app falls behind, the socket stops
 * reading and the kernel drops what overflows, as a board's stack does.
 * Options `multicast` (group to join) and `timeToLive` (multicast TTL, 1..255) as Moddable's UDP has.
 * A closed UDP throws SyntaxError from read(), write() and its getters (Moddable's classes lose their host
 * data at close()); a second close() does nothing. */
#include "sim.h"
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

typedef struct {
	uint32_t address;
	uint16_t port;
	uint32_t length;
	uint8_t data[];
} simPacket;

typedef struct simUDP simUDP;
struct simUDP {
	simReadable r;             /* first */
	simUDP* next;              /* every open UDP socket, for net.multicastJoin's global membership */
	simPacket* queue[SIM_UDP_QUEUE];
	int count;
	int port;
	char address[16];
};

/* Multicast groups joined through xsnet/native (lwIP's igmp_joingroup is global, not per socket):
 * every UDP socket, open or opened later, is a member. */
typedef struct simGroup simGroup;
struct simGroup {
	simGroup* next;
	uint32_t interface, group;
};
static simGroup* gGroups = NULL;
static simUDP* gUDPs = NULL;

/* 0, or the errno of setsockopt() */
static int simUDPMembership(int fd, uint32_t interface, uint32_t group, int join)
{
	struct ip_mreq m;
	m.imr_multiaddr.s_addr = group;
	m.imr_interface.s_addr = interface;
	return setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof(m)) < 0 ? errno : 0;
}

/* 0, or an errno: then no open socket joined (those that had are made to leave again) */
int simMulticastJoin(uint32_t interface, uint32_t group)
{
	simGroup* g;
	simUDP *u, *v;
	for (g = gGroups; g; g = g->next)
		if (g->interface == interface && g->group == group)
			return 0;
	for (u = gUDPs; u; u = u->next) {
		int error = simUDPMembership(u->r.watch.fd, interface, group, 1);
		if (error && error != EADDRINUSE) {
			for (v = gUDPs; v != u; v = v->next)
				simUDPMembership(v->r.watch.fd, interface, group, 0);
			return error;
		}
	}
	g = calloc(1, sizeof(simGroup));
	if (!g) {
		for (u = gUDPs; u; u = u->next)
			simUDPMembership(u->r.watch.fd, interface, group, 0);
		return ENOMEM;
	}
	g->interface = interface;
	g->group = group;
	g->next = gGroups;
	gGroups = g;
	return 0;
}

int simMulticastLeave(uint32_t interface, uint32_t group)
{
	simGroup** link = &gGroups;
	simUDP* u;
	while (*link) {
		simGroup* g = *link;
		if (g->interface == interface && g->group == group) {
			*link = g->next;
			free(g);
			for (u = gUDPs; u; u = u->next)
				simUDPMembership(u->r.watch.fd, interface, group, 0);
			return 0;
		}
		link = &g->next;
	}
	return EADDRNOTAVAIL;
}

static void simUDPUnlink(simUDP* u)
{
	simUDP** link = &gUDPs;
	while (*link) {
		if (*link == u) {
			*link = u->next;
			return;
		}
		link = &(*link)->next;
	}
}

static uint8_t gPacketBuffer[65536];

void xs_udp_destructor(void* data);
static const xsHostHooks gUDPHooks = { xs_udp_destructor, simReadableMark, NULL };

static void simUDPDrop(simReadable* r);
static void simUDPRelease(xsMachine* the, simUDP* u)
{
	simUDPDrop(&u->r);
	simReadableRelease(the, &u->r);
}

void xs_udp_destructor(void* data)
{
	simUDP* u = data;
	if (!u)
		return;
	simUDPRelease(NULL, u);
	simDeferFree(u);
}

/* `this` as an open UDP instance; SyntaxError when closed or of another class (as Moddable's). */
static simUDP* simUDPGet(xsMachine* the)
{
	return simReadableGet(the, &gUDPHooks);
}

static void simUDPEvents(simWatch* watch, uint32_t events)
{
	simUDP* u = (simUDP*)watch;
	xsMachine* the = u->r.the;
	while (u->count < SIM_UDP_QUEUE) {
		struct sockaddr_in a;
		socklen_t length = sizeof(a);
		ssize_t n = recvfrom(u->r.watch.fd, gPacketBuffer, sizeof(gPacketBuffer), 0, (struct sockaddr*)&a, &length);
		simPacket* p;
		if (n < 0)
			break;
		p = malloc(sizeof(simPacket) + n);
		if (!p)
			break;
		p->address = a.sin_addr.s_addr;
		p->port = ntohs(a.sin_port);
		p->length = (uint32_t)n;
		memcpy(p->data, gPacketBuffer, n);
		u->queue[u->count++] = p;
	}
	if (u->count == SIM_UDP_QUEUE || (u->count && xsTypeOf(u->r.onReadable) == xsUndefinedType))
		simWatchModify(&u->r.watch, 0); /* the app is behind: the kernel drops what overflows */
	simReadableNotify(the, &u->r, u->count);
}

/* new UDP({port = 0, address = "0.0.0.0", onReadable, format: "buffer", multicast, timeToLive, target}).
 * As Moddable's: a port ToInteger refuses (a symbol) throws TypeError, one out of 0..65535 RangeError; a
 * callback that is no function Error("not a function"); a format other than "buffer" RangeError. `address`
 * is an extension of ours (Moddable's lwIP UDP always binds every address). */
void xs_udp_constructor(xsMachine* the)
{
	simUDP* u;
	struct sockaddr_in a;
	socklen_t length = sizeof(a);
	int fd, port = 0, one = 1;
	uint32_t address = INADDR_ANY;
	xsSlot options;
	xsVars(1);
	options = xsToInteger(xsArgc) > 0 ? xsArg(0) : xsUndefined;
	if (simHasOption(the, &options, "port", &xsVar(0))) {
		port = xsToInteger(xsVar(0));
		if (port < 0 || port > 65535)
			xsRangeError("invalid port");
	}
	simGetCallback(the, &options, "onReadable", &xsVar(0));
	if (simOptionPresent(the, &options, "format", &xsVar(0)) && xsTest(xsVar(0))
		&& strcmp(xsToString(xsVar(0)), "buffer"))
		xsRangeError("invalid format");
	if (simHasOption(the, &options, "address", &xsVar(0)) && !simToIPv4(the, &xsVar(0), &address))
		xsUnknownError("invalid address");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		xsUnknownError("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)); /* lwIP sends to broadcast addresses too */
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = address;
	a.sin_port = htons(port);
	if (simHasOption(the, &options, "multicast", &xsVar(0))) {
		struct ip_mreq m;
		int ttl = 1;
		if (!simToIPv4(the, &xsVar(0), &m.imr_multiaddr.s_addr)) {
			close(fd);
			xsRangeError("invalid IP address");
		}
		m.imr_interface.s_addr = INADDR_ANY;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) < 0) {
			int error = errno;
			close(fd);
			xsUnknownError("multicast: %s", strerror(error));
		}
		if (simHasOption(the, &options, "timeToLive", &xsVar(0))) {
			ttl = xsToInteger(xsVar(0));
			if (ttl < 1 || ttl > 255) {
				close(fd);
				xsRangeError("invalid timeToLive");
			}
		}
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
	}
	if (bind(fd, (struct sockaddr*)&a, sizeof(a)) < 0) {
		int error = errno;
		close(fd);
		if (error == EADDRINUSE)
			xsUnknownError("address in use");
		xsUnknownError("bind: %s", strerror(error));
	}
	getsockname(fd, (struct sockaddr*)&a, &length);
	u = calloc(1, sizeof(simUDP));
	if (!u) {
		close(fd);
		xsUnknownError("out of memory");
	}
	u->r.watch.fd = fd;
	u->r.watch.callback = simUDPEvents;
	u->port = ntohs(a.sin_port);
	simFormatIPv4(a.sin_addr.s_addr, u->address);
	simReadableOpen(the, &u->r, &gUDPHooks, &options);
	{
		simGroup* g;
		for (g = gGroups; g; g = g->next)
			simUDPMembership(fd, g->interface, g->group, 1);
	}
	u->next = gUDPs;
	gUDPs = u;
}

/* The descriptor of a UDP instance, or -1 (for xsnet/native's ttl) */
int simUDPDescriptor(xsMachine* the, xsSlot* slot)
{
	simUDP* u = simHostDataIf(the, slot, &gUDPHooks);
	return (u && !u->r.closed) ? u->r.watch.fd : -1;
}

/* read() -> ArrayBuffer with .address and .port | undefined */
void xs_udp_read(xsMachine* the)
{
	simUDP* u = simUDPGet(the);
	simPacket* p;
	char address[16];
	if (!u->count)
		return;
	p = u->queue[0];
	u->count--;
	memmove(u->queue, u->queue + 1, u->count * sizeof(simPacket*));
	if (u->r.watch.fd >= 0 && u->count < SIM_UDP_QUEUE)
		simWatchModify(&u->r.watch, EPOLLIN);
	xsResult = xsArrayBuffer(p->data, p->length);
	simFormatIPv4(p->address, address);
	xsDefine(xsResult, xsID("address"), xsString(address), xsDefault);
	xsDefine(xsResult, xsID("port"), xsInteger(p->port), xsDefault);
	free(p);
}

/* write(buffer, address, port). As Moddable's lwIP UDP: an address or port ToString/ToInteger refuses (a
 * symbol) or no buffer throws TypeError, an address that is no IPv4 address RangeError("invalid IP
 * address"). Stricter than lwIP (which sends to port 0): a port out of 1..65535 throws RangeError; and a
 * datagram over the IPv4 limit throws RangeError. */
void xs_udp_write(xsMachine* the)
{
	simUDP* u = simUDPGet(the);
	void* data;
	xsUnsignedValue length;
	struct sockaddr_in a;
	int port;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (!simToIPv4(the, &xsArg(1), &a.sin_addr.s_addr))
		xsRangeError("invalid IP address");
	port = xsToInteger(xsArg(2));
	xsmcGetBufferReadable(xsArg(0), &data, &length);
	if (port <= 0 || port > 65535)
		xsRangeError("invalid port");
	a.sin_port = htons(port);
	if (length > SIM_UDP_MAX)
		xsRangeError("datagram too large: %u bytes (at most %u)", (unsigned)length, (unsigned)SIM_UDP_MAX);
	if (sendto(u->r.watch.fd, data, length, 0, (struct sockaddr*)&a, sizeof(a)) < 0) {
		if (errno == EMSGSIZE)
			xsRangeError("datagram too large: %u bytes", (unsigned)length);
		xsUnknownError("send: %s", strerror(errno));
	}
}

static void simUDPDrop(simReadable* r)
{
	simUDP* u = (simUDP*)r;
	int i;
	for (i = 0; i < u->count; i++)
		free(u->queue[i]);
	u->count = 0;
	if (u->r.watch.fd >= 0)
		simUDPUnlink(u);
}

void xs_udp_close(xsMachine* the)
{
	simReadableClose(the, &gUDPHooks, simUDPDrop);
}

void xs_udp_get_port(xsMachine* the)
{
	simUDP* u = simUDPGet(the);
	xsResult = xsInteger(u->port);
}

void xs_udp_get_address(xsMachine* the)
{
	simUDP* u = simUDPGet(the);
	xsResult = xsString(u->address);
}
