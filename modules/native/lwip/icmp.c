/* xsnet/native for boards: the ICMP socket (for net.ping) over lwIP's raw API, raw_new(IP_PROTO_ICMP).
 * lwIP calls the receive function in its own thread; messages are copied and posted to the XS machine.
 * Written for xsnet against lwIP's public headers. */
#include "xsmc.h"
#include "xsHost.h"
#include "lwip/init.h"

#if LWIP_VERSION_MAJOR >= 2
#include "lwip/raw.h"
#include "lwip/pbuf.h"
#include "lwip/ip_addr.h"
#include "lwip/prot/ip4.h"
#include "lwip/tcpip.h"
#include <string.h>

#define XSNET_ICMP_QUEUE 8

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
	struct raw_pcb* pcb;
	xsnetICMPPacket* queue;
	int count;
	uint8_t closed;
} xsnetICMP;

void xs_icmp_destructor(void* data);
static void xsnetICMPMark(xsMachine* the, void* data, xsMarkRoot markRoot)
{
	xsnetICMP* s = data;
	(*markRoot)(the, &s->onReadable);
}
static const xsHostHooks gICMPHooks = { xs_icmp_destructor, xsnetICMPMark, NULL };

static void xsnetICMPDeliver(void* the, void* refcon, uint8_t* message, uint16_t messageLength)
{
	xsnetICMP* s = refcon;
	if (s->closed || !s->count)
		return;
	xsBeginHost(s->the);
	xsmcVars(1);
	xsmcSetInteger(xsVar(0), s->count);
	xsCallFunction1(s->onReadable, s->object, xsVar(0));
	xsEndHost(s->the);
}

static u8_t xsnetICMPReceive(void* arg, struct raw_pcb* pcb, struct pbuf* p, const ip_addr_t* addr)
{
	xsnetICMP* s = arg;
	uint16_t header = IPH_HL_BYTES((struct ip_hdr*)p->payload);
	xsnetICMPPacket* packet;
	if (s->closed || s->count >= XSNET_ICMP_QUEUE || p->tot_len <= header)
		return 0; /* not eaten: lwIP's own ICMP handling goes on */
	if (pbuf_get_at(p, header) != 0 /* ICMP_ER, echo reply */)
		return 0; /* echo requests, errors...: lwIP answers and reports them, as its ping.c leaves them */
	packet = c_malloc(sizeof(xsnetICMPPacket) + p->tot_len - header);
	if (!packet)
		return 0;
	packet->next = NULL;
	ip4_addr_copy(packet->address, *ip_2_ip4(addr));
	packet->length = p->tot_len - header;
	pbuf_copy_partial(p, packet->data, packet->length, header);
	{
		xsnetICMPPacket** link = &s->queue;
		while (*link)
			link = &(*link)->next;
		*link = packet;
		s->count++;
	}
	modMessagePostToMachine(s->the, NULL, 0, xsnetICMPDeliver, s);
	pbuf_free(p);
	return 1;
}

void xs_icmp_destructor(void* data)
{
	xsnetICMP* s = data;
	if (!s)
		return;
	if (s->pcb)
		raw_remove(s->pcb);
	while (s->queue) {
		xsnetICMPPacket* next = s->queue->next;
		c_free(s->queue);
		s->queue = next;
	}
	c_free(s);
}

void xs_icmp_constructor(xsMachine* the)
{
	xsnetICMP* s = c_calloc(1, sizeof(xsnetICMP));
	if (!s)
		xsUnknownError("no memory");
	s->the = the;
	s->object = xsThis;
	s->onReadable = xsUndefined;
	xsmcSetHostData(xsThis, s);
	xsSetHostHooks(xsThis, &gICMPHooks);
	if (xsmcArgc > 0 && xsmcHas(xsArg(0), xsID("onReadable"))) {
		xsmcGet(s->onReadable, xsArg(0), xsID("onReadable"));
	}
	s->pcb = raw_new(IP_PROTO_ICMP);
	if (!s->pcb)
		xsUnknownError("no memory");
	raw_recv(s->pcb, xsnetICMPReceive, s);
	raw_bind(s->pcb, IP_ADDR_ANY);
	xsRemember(s->object);
}

void xs_icmp_read(xsMachine* the)
{
	xsnetICMP* s = xsmcGetHostData(xsThis);
	xsnetICMPPacket* packet;
	char text[IP4ADDR_STRLEN_MAX];
	if (!s || s->closed)
		xsUnknownError("closed");
	packet = s->queue;
	if (!packet)
		return;
	s->queue = packet->next;
	s->count--;
	xsmcVars(1);
	xsmcSetArrayBuffer(xsResult, packet->data, packet->length);
	ip4addr_ntoa_r(&packet->address, text, sizeof(text));
	xsmcSetString(xsVar(0), text);
	xsmcSet(xsResult, xsID("address"), xsVar(0));
	c_free(packet);
}

void xs_icmp_write(xsMachine* the)
{
	xsnetICMP* s = xsmcGetHostData(xsThis);
	void* data;
	xsUnsignedValue length;
	ip_addr_t address;
	struct pbuf* p;
	err_t err;
	if (!s || s->closed)
		xsUnknownError("closed");
	xsmcGetBufferReadable(xsArg(0), &data, &length);
	if (!ipaddr_aton(xsmcToString(xsArg(1)), &address))
		xsTypeError("invalid IP address");
	p = pbuf_alloc(PBUF_IP, (u16_t)length, PBUF_RAM);
	if (!p)
		xsUnknownError("no memory");
	memcpy(p->payload, data, length);
	err = raw_sendto(s->pcb, p, &address);
	pbuf_free(p);
	if (err != ERR_OK)
		xsUnknownError("ICMP send error %d", (int)err);
}

void xs_icmp_close(xsMachine* the)
{
	xsnetICMP* s = xsmcGetHostData(xsThis);
	if (!s || s->closed)
		return;
	s->closed = 1;
	raw_remove(s->pcb);
	s->pcb = NULL;
	xsForget(s->object);
}

#else /* lwIP 1.4 (ESP8266): not available yet */
void xs_icmp_destructor(void* data) { }
void xs_icmp_constructor(xsMachine* the) { xsUnknownError("ICMP needs lwIP 2"); }
void xs_icmp_read(xsMachine* the) { }
void xs_icmp_write(xsMachine* the) { }
void xs_icmp_close(xsMachine* the) { }
#endif
