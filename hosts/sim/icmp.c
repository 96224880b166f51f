/* xsnet simulator: the ICMP socket of xsnet/native (lwIP: raw_new(IP_PROTO_ICMP)), for net.ping.
 * new ICMP({onReadable(count)}); write(message, address) sends an ICMP message (header included; the
 * caller computes the checksum); read() -> ArrayBuffer of one ICMP message (no IP header) with
 * `address`. Uses an unprivileged ICMP datagram socket when the system allows it (the kernel then sets
 * the echo identifier), else a raw socket (root). */
#include "sim.h"
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#define SIM_ICMP_QUEUE 16

typedef struct {
	uint32_t address;
	uint32_t length;
	uint8_t data[];
} simICMPPacket;

typedef struct {
	simReadable r;             /* first */
	simICMPPacket* queue[SIM_ICMP_QUEUE];
	int count;
	uint8_t raw;
} simICMP;

static uint8_t gICMPBuffer[65536];

void xs_icmp_destructor(void* data);
static const xsHostHooks gICMPHooks = { xs_icmp_destructor, simReadableMark, NULL };

static void simICMPRelease(xsMachine* the, simICMP* s)
{
	int i;
	for (i = 0; i < s->count; i++)
		free(s->queue[i]);
	s->count = 0;
	simReadableRelease(the, &s->r);
}

void xs_icmp_destructor(void* data)
{
	simICMP* s = data;
	if (!s)
		return;
	simICMPRelease(NULL, s);
	simDeferFree(s);
}

static void simICMPEvents(simWatch* watch, uint32_t events)
{
	simICMP* s = (simICMP*)watch;
	xsMachine* the = s->r.the;
	while (s->count < SIM_ICMP_QUEUE) {
		struct sockaddr_in a;
		socklen_t length = sizeof(a);
		ssize_t n = recvfrom(s->r.watch.fd, gICMPBuffer, sizeof(gICMPBuffer), 0, (struct sockaddr*)&a, &length);
		uint8_t* data = gICMPBuffer;
		simICMPPacket* p;
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
		p = malloc(sizeof(simICMPPacket) + n);
		if (!p)
			break;
		p->address = a.sin_addr.s_addr;
		p->length = (uint32_t)n;
		memcpy(p->data, data, n);
		s->queue[s->count++] = p;
	}
	if (s->count == SIM_ICMP_QUEUE)
		simWatchModify(&s->r.watch, 0);
	simReadableNotify(the, &s->r, s->count);
}

void xs_icmp_constructor(xsMachine* the)
{
	simICMP* s;
	int fd, raw = 0;
	xsVars(1);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0) {
		fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
		raw = 1;
	}
	if (fd < 0)
		xsUnknownError("ICMP needs root or net.ipv4.ping_group_range: %s", strerror(errno));
	s = calloc(1, sizeof(simICMP));
	if (!s) {
		close(fd);
		xsUnknownError("out of memory");
	}
	s->r.watch.fd = fd;
	s->r.watch.callback = simICMPEvents;
	s->raw = raw;
	xsVar(0) = xsToInteger(xsArgc) > 0 ? xsArg(0) : xsUndefined;
	simReadableOpen(the, &s->r, &gICMPHooks, &xsVar(0));
}

void xs_icmp_read(xsMachine* the)
{
	simICMP* s = xsGetHostData(xsThis);
	simICMPPacket* p;
	char address[16];
	if (!s || s->r.closed)
		xsUnknownError("closed");
	if (!s->count)
		return;
	p = s->queue[0];
	s->count--;
	memmove(s->queue, s->queue + 1, s->count * sizeof(simICMPPacket*));
	if (s->r.watch.fd >= 0)
		simWatchModify(&s->r.watch, EPOLLIN);
	xsResult = xsArrayBuffer(p->data, p->length);
	simFormatIPv4(p->address, address);
	xsDefine(xsResult, xsID("address"), xsString(address), xsDefault);
	free(p);
}

void xs_icmp_write(xsMachine* the)
{
	simICMP* s = xsGetHostData(xsThis);
	void* data;
	xsUnsignedValue length;
	struct sockaddr_in a;
	if (!s || s->r.closed)
		xsUnknownError("closed");
	xsmcGetBufferReadable(xsArg(0), &data, &length);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = simParseIPv4(the, &xsArg(1));
	if (sendto(s->r.watch.fd, data, length, 0, (struct sockaddr*)&a, sizeof(a)) < 0)
		xsUnknownError("ICMP send: %s", strerror(errno));
}

void xs_icmp_close(xsMachine* the)
{
	simICMP* s = xsGetHostData(xsThis);
	if (!s || s->r.closed)
		return;
	s->r.closed = 1;
	simICMPRelease(the, s);
}
