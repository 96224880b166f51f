/* xsnet simulator, lwIP backend: the ICMP socket, a raw pcb (raw_new(IP_PROTO_ICMP)) as modules/native/lwip/icmp.c
 * uses on a board. Every ICMP message is copied to the owner without its IP header and left to lwIP too (the
 * receive callback returns 0), so lwIP still answers echo requests. */
#include "lwip.h"
#include "lwip/prot/ip4.h"

struct simNetICMP {
	atomic_int uses;           /* the XS side until closed, the tcpip side until raw_remove, each message */
	struct raw_pcb* pcb;       /* tcpip thread */
	const simNetICMPUpcalls* up;   /* XS thread */
	void* owner;
	uint8_t receiving, closed;
	uint32_t loopback;         /* the 127.x address last pinged: replies from slirp's host show it */
};

typedef struct {
	simNetICMP* icmp;
	simNetBuf* buf;
	uint32_t address;
} lwipMessage;

typedef struct {
	struct tcpip_api_call_data call;
	simNetICMP* icmp;
	const void* data;
	size_t length;
	ip_addr_t address;
} lwipICMPCall;

static void lwipICMPRelease(simNetICMP* s)
{
	if (lwipRelease(&s->uses))
		free(s);
}

static void lwipICMPDeliver(void* data)
{
	lwipMessage* m = data;
	simNetICMP* s = m->icmp;
	if (s->closed || !s->receiving)
		simNetBufFree(m->buf);
	else {
		if (m->address == LWIP_SLIRP_HOST && s->loopback)
			m->address = s->loopback;
		(*s->up->received)(s->owner, m->buf, m->address);
		if (!s->closed)
			(*s->up->batch)(s->owner);
	}
	free(m);
	lwipICMPRelease(s);
}

/* tcpip thread: `p` starts with the IP header; lwIP keeps it (returns 0) */
static u8_t lwipICMPReceived(void* arg, struct raw_pcb* pcb, struct pbuf* p, const ip_addr_t* address)
{
	simNetICMP* s = arg;
	u16_t header = IPH_HL_BYTES((struct ip_hdr*)p->payload);
	lwipMessage* m;
	uint8_t* data;
	if (p->tot_len <= header || !(m = malloc(sizeof(lwipMessage))))
		return 0;
	data = malloc(p->tot_len - header);
	m->buf = NULL;
	if (data) {
		pbuf_copy_partial(p, data, p->tot_len - header, header);
		m->buf = simNetBufNew(data, p->tot_len - header);
		free(data);
	}
	if (!m->buf) {
		free(m);
		return 0;
	}
	m->icmp = s;
	m->address = ip4_addr_get_u32(ip_2_ip4(address));
	lwipRetain(&s->uses);
	lwipPost(lwipICMPDeliver, m);
	return 0;
}

static err_t lwipICMPOpenCall(struct tcpip_api_call_data* call)
{
	lwipICMPCall* c = (lwipICMPCall*)call;
	struct raw_pcb* pcb = raw_new(IP_PROTO_ICMP);
	if (!pcb)
		return ERR_MEM;
	raw_bind(pcb, IP4_ADDR_ANY);
	raw_recv(pcb, lwipICMPReceived, c->icmp);
	c->icmp->pcb = pcb;
	return ERR_OK;
}

simNetICMP* lwipICMPOpen(const simNetICMPUpcalls* up, void* owner, int* error)
{
	lwipICMPCall c;
	err_t err;
	simNetICMP* s = calloc(1, sizeof(simNetICMP));
	if (!s) {
		*error = ENOMEM;
		return NULL;
	}
	atomic_init(&s->uses, 2);
	s->up = up;
	s->owner = owner;
	s->receiving = 1;
	c.icmp = s;
	err = lwipCall(lwipICMPOpenCall, &c.call);
	if (err != ERR_OK) {
		*error = lwipErrno(err);
		free(s);
		return NULL;
	}
	return s;
}

static err_t lwipICMPSendCall(struct tcpip_api_call_data* call)
{
	lwipICMPCall* c = (lwipICMPCall*)call;
	struct pbuf* p;
	err_t err;
	if (!c->icmp->pcb)
		return ERR_CLSD;
	p = pbuf_alloc(PBUF_IP, (u16_t)c->length, PBUF_RAM);
	if (!p)
		return ERR_MEM;
	memcpy(p->payload, c->data, c->length);
	err = raw_sendto(c->icmp->pcb, p, &c->address);
	pbuf_free(p);
	return err;
}

int lwipICMPSendTo(simNetICMP* s, const void* data, size_t length, uint32_t address)
{
	lwipICMPCall c;
	err_t err;
	if (length > 0xFFFF - 20)
		return -EMSGSIZE;
	if ((address & 0xFF) == 127)
		s->loopback = address;
	c.icmp = s;
	c.data = data;
	c.length = length;
	ip_addr_set_ip4_u32(&c.address, lwipToStack(address));
	err = lwipCall(lwipICMPSendCall, &c.call);
	return err == ERR_OK ? 0 : -lwipErrno(err);
}

void lwipICMPReceiving(simNetICMP* s, int on)
{
	s->receiving = on ? 1 : 0;
}

static err_t lwipICMPCloseCall(struct tcpip_api_call_data* call)
{
	lwipICMPCall* c = (lwipICMPCall*)call;
	if (c->icmp->pcb) {
		raw_remove(c->icmp->pcb);
		c->icmp->pcb = NULL;
		lwipICMPRelease(c->icmp);
	}
	return ERR_OK;
}

void lwipICMPClose(simNetICMP* s)
{
	lwipICMPCall c;
	s->closed = 1;
	c.icmp = s;
	lwipCall(lwipICMPCloseCall, &c.call);
	lwipICMPRelease(s);
}
