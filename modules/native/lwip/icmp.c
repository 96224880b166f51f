/* xsnet/native for boards: the ICMP socket (for net.ping) over lwIP's raw API, raw_new(IP_PROTO_ICMP).
 *
 * Threads (lwipcall.h): raw_new/raw_bind/raw_sendto/raw_remove run on lwIP's thread through xsnetLwipCall. lwIP
 * calls xsnetICMPReceive on its thread; it copies an echo reply into the socket's queue under the lock and posts
 * one message to the XS machine while none is pending. The record lives while anyone may still reach it: the open
 * socket holds one use and each posted message one more (as Moddable's lwIP TCP: tcpHold/tcpRelease), so close()
 * with a reply in flight frees the record only once that message has run. raw_remove runs on lwIP's thread and
 * returns before close() goes on, so no receive callback runs after it.
 * Written for xsnet against lwIP's public headers. */
#include "xsmc.h"
#include "xsHost.h"
#include "lwip/init.h"

#if LWIP_VERSION_MAJOR >= 2
#include "lwip/raw.h"
#include "lwip/pbuf.h"
#include "lwip/ip_addr.h"
#include "lwip/prot/ip4.h"
#include "lwipcall.h"
#include <string.h>

#define XSNET_ICMP_QUEUE 8      /* echo replies kept unread; more are left to lwIP (and so dropped) */

typedef struct xsnetICMPPacket xsnetICMPPacket;
struct xsnetICMPPacket {
	xsnetICMPPacket* next;
	ip4_addr_t address;
	uint16_t length;
	uint8_t data[];
};

typedef struct {
	xsMachine* the;
	xsSlot object;
	xsSlot onReadable;
	struct raw_pcb* pcb;        /* set and cleared on lwIP's thread only */
	xsnetICMPPacket* queue;     /* under the lock */
	int count;                  /* under the lock: packets in queue */
	int useCount;               /* under the lock: 1 while open + 1 per posted message */
	uint8_t pending;            /* under the lock: a delivery message is posted and has not run yet */
	uint8_t closed;             /* XS task only */
} xsnetICMP;

/* the record of one call onto lwIP's thread */
typedef struct {
	xsnetLwipCallData call;
	xsnetICMP* s;
	const void* data;
	uint16_t length;
	ip_addr_t address;
	err_t err;
} xsnetICMPCall;

void xs_icmp_destructor(void* data);
static void xsnetICMPMark(xsMachine* the, void* data, xsMarkRoot markRoot)
{
	xsnetICMP* s = data;
	if (s)
		(*markRoot)(the, &s->onReadable);
}
static const xsHostHooks gICMPHooks = { xs_icmp_destructor, xsnetICMPMark, NULL };

/* Drop one use; the last one frees the record and the packets nobody read. XS task. */
static void xsnetICMPRelease(xsnetICMP* s)
{
	int unused;
	xsnetLock();
	unused = --s->useCount == 0;
	xsnetUnlock();
	if (!unused)
		return;
	while (s->queue) {
		xsnetICMPPacket* next = s->queue->next;
		c_free(s->queue);
		s->queue = next;
	}
	c_free(s);
}

/* XS task: the message posted by xsnetICMPReceive. onReadable(count of packets queued). */
static void xsnetICMPDeliver(void* the, void* refcon, uint8_t* message, uint16_t messageLength)
{
	xsnetICMP* s = refcon;
	int count;
	xsnetLock();
	s->pending = 0;
	count = s->count;
	xsnetUnlock();
	if (!s->closed && count) {
		xsBeginHost(s->the);
		xsmcVars(1);
		xsmcSetInteger(xsVar(0), count);
		xsCallFunction1(s->onReadable, s->object, xsVar(0));
		xsEndHost(s->the);
	}
	xsnetICMPRelease(s);
}

/* lwIP's thread: every ICMP packet to this host. Takes echo replies, leaves the rest to lwIP. */
static u8_t xsnetICMPReceive(void* arg, struct raw_pcb* pcb, struct pbuf* p, const ip_addr_t* addr)
{
	xsnetICMP* s = arg;
	uint16_t header = IPH_HL_BYTES((struct ip_hdr*)p->payload);
	xsnetICMPPacket* packet;
	int full, post;
	if (p->tot_len <= header || pbuf_get_at(p, header) != 0 /* ICMP_ER, echo reply */)
		return 0; /* not eaten: echo requests, errors...: lwIP answers and reports them, as its ping.c leaves them */
	xsnetLock();
	full = s->count >= XSNET_ICMP_QUEUE;
	xsnetUnlock();
	if (full)
		return 0;
	packet = c_malloc(sizeof(xsnetICMPPacket) + p->tot_len - header);
	if (!packet)
		return 0;
	packet->next = NULL;
	ip4_addr_copy(packet->address, *ip_2_ip4(addr));
	packet->length = p->tot_len - header;
	pbuf_copy_partial(p, packet->data, packet->length, header);
	xsnetLock();
	{
		xsnetICMPPacket** link = &s->queue;
		while (*link)
			link = &(*link)->next;
		*link = packet;
		s->count++;
	}
	post = !s->pending;
	if (post) {
		s->pending = 1;
		s->useCount++;  /* the open socket holds one, so the record is alive here */
	}
	xsnetUnlock();
	if (post && modMessagePostToMachine(s->the, NULL, 0, xsnetICMPDeliver, s)) {
		xsnetLock();        /* not posted: the next reply tries again */
		s->pending = 0;
		s->useCount--;
		xsnetUnlock();
	}
	pbuf_free(p);
	return 1;
}

static err_t xsnetICMPOpenInLwip(xsnetLwipCallData* call)
{
	xsnetICMPCall* c = (xsnetICMPCall*)call;
	struct raw_pcb* pcb = raw_new(IP_PROTO_ICMP);
	if (!pcb)
		return c->err = ERR_MEM;
	raw_recv(pcb, xsnetICMPReceive, c->s);
	raw_bind(pcb, IP_ADDR_ANY);
	c->s->pcb = pcb;
	return c->err = ERR_OK;
}

static err_t xsnetICMPRemoveInLwip(xsnetLwipCallData* call)
{
	xsnetICMPCall* c = (xsnetICMPCall*)call;
	if (c->s->pcb)
		raw_remove(c->s->pcb);
	c->s->pcb = NULL;
	return c->err = ERR_OK;
}

static err_t xsnetICMPSendInLwip(xsnetLwipCallData* call)
{
	xsnetICMPCall* c = (xsnetICMPCall*)call;
	struct pbuf* p = pbuf_alloc(PBUF_IP, c->length, PBUF_RAM);
	if (!p)
		return c->err = ERR_MEM;
	memcpy(p->payload, c->data, c->length);
	c->err = c->s->pcb ? raw_sendto(c->s->pcb, p, &c->address) : ERR_CLSD;
	pbuf_free(p);
	return c->err;
}

/* Garbage collector, for a socket never closed (its constructor threw). XS task. */
void xs_icmp_destructor(void* data)
{
	xsnetICMP* s = data;
	xsnetICMPCall c;
	if (!s)
		return;
	s->closed = 1;
	c.s = s;
	xsnetLwipCall(xsnetICMPRemoveInLwip, &c);
	xsnetICMPRelease(s);
}

/* new ICMP({onReadable(count)}): a raw ICMP pcb bound to every interface. Throws "no memory". */
void xs_icmp_constructor(xsMachine* the)
{
	xsnetICMPCall c;
	xsnetICMP* s = c_calloc(1, sizeof(xsnetICMP));
	if (!s)
		xsUnknownError("no memory");
	s->the = the;
	s->object = xsThis;
	s->onReadable = xsUndefined;
	s->useCount = 1;
	xsmcSetHostData(xsThis, s);
	xsSetHostHooks(xsThis, &gICMPHooks);
	if (xsmcArgc > 0 && xsmcHas(xsArg(0), xsID("onReadable"))) {
		xsmcGet(s->onReadable, xsArg(0), xsID("onReadable"));
	}
	c.s = s;
	xsnetLwipCall(xsnetICMPOpenInLwip, &c);
	if (c.err != ERR_OK)
		xsUnknownError("no memory");
	xsRemember(s->object);
}

/* read() -> ArrayBuffer (the ICMP message) with .address ("a.b.c.d"), or undefined when none is queued */
void xs_icmp_read(xsMachine* the)
{
	xsnetICMP* s = xsmcGetHostData(xsThis);
	xsnetICMPPacket* packet;
	char text[IP4ADDR_STRLEN_MAX];
	if (!s || s->closed)
		xsUnknownError("closed");
	xsnetLock();
	packet = s->queue;
	if (packet) {
		s->queue = packet->next;
		s->count--;
	}
	xsnetUnlock();
	if (!packet)
		return;
	xsmcVars(1);
	xsTry {
		xsmcSetArrayBuffer(xsResult, packet->data, packet->length);
	}
	xsCatch {
		c_free(packet);
		xsThrow(xsException);
	}
	ip4addr_ntoa_r(&packet->address, text, sizeof(text));
	c_free(packet);
	xsmcSetString(xsVar(0), text);
	xsmcSet(xsResult, xsID("address"), xsVar(0));
}

/* write(buffer, "a.b.c.d"): sends the ICMP message. Throws TypeError "invalid IP address", "ICMP send error N". */
void xs_icmp_write(xsMachine* the)
{
	xsnetICMP* s = xsmcGetHostData(xsThis);
	xsnetICMPCall c;
	void* data;
	xsUnsignedValue length;
	if (!s || s->closed)
		xsUnknownError("closed");
	if (!ipaddr_aton(xsmcToString(xsArg(1)), &c.address))
		xsTypeError("invalid IP address");
	xsmcGetBufferReadable(xsArg(0), &data, &length);
	if (length > 0xFFFF - 28)
		xsRangeError("ICMP message too long");
	c.s = s;
	c.data = data;      /* the XS task waits in xsnetLwipCall: no collection moves the buffer meanwhile */
	c.length = (uint16_t)length;
	xsnetLwipCall(xsnetICMPSendInLwip, &c);
	if (c.err == ERR_MEM)
		xsUnknownError("no memory");
	if (c.err != ERR_OK)
		xsUnknownError("ICMP send error %d", (int)c.err);
}

/* close(): removes the pcb; replies still queued or in flight are dropped. Fires nothing. */
void xs_icmp_close(xsMachine* the)
{
	xsnetICMP* s = xsmcGetHostData(xsThis);
	xsnetICMPCall c;
	if (!s || s->closed)
		return;
	s->closed = 1;
	c.s = s;
	xsnetLwipCall(xsnetICMPRemoveInLwip, &c);
	xsmcSetHostData(xsThis, NULL);
	xsmcSetHostDestructor(xsThis, NULL);
	xsForget(s->object);
	xsnetICMPRelease(s);
}

#else /* lwIP 1.4 (ESP8266): not available yet */
void xs_icmp_destructor(void* data) { }
void xs_icmp_constructor(xsMachine* the) { xsUnknownError("ICMP needs lwIP 2"); }
void xs_icmp_read(xsMachine* the) { }
void xs_icmp_write(xsMachine* the) { }
void xs_icmp_close(xsMachine* the) { }
#endif
