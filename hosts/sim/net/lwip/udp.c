/* xsnet simulator, lwIP backend: UDP pcbs and the stack's multicast memberships (igmp_joingroup, global as on a
 * board). Datagrams are posted to the loop as they come; while the owner is not receiving (its queue is full) they
 * are dropped, as a board's stack drops what overflows. Node peers reach a bound port through slirp's host
 * forwarding of the host's 127.0.0.1:<port> (the same number; when the host has taken it, only replies arrive). */
#include "lwip.h"
#include "slirpif.h"
#include "lwip/igmp.h"

#define LWIP_UDP_PEERS 8   /* loopback destinations remembered per socket */

struct simNetUDP {
	atomic_int uses;           /* the XS side until closed, the tcpip side until udp_remove, each datagram */
	struct udp_pcb* pcb;       /* tcpip thread */
	/* XS thread */
	const simNetUDPUpcalls* up;
	void* owner;
	uint8_t receiving, closed, forwarded;
	uint16_t port;
	uint32_t address;          /* as asked: shown by udpAddress (the pcb is bound to every interface) */
	uint32_t guest;
	struct { uint32_t address; uint16_t port; } sent[LWIP_UDP_PEERS];   /* 127.x destinations, for replies */
	int sentNext;
};

typedef struct {
	simNetUDP* udp;
	simNetBuf* buf;
	uint32_t address;
	uint16_t port;
} lwipDatagram;

typedef struct {
	struct tcpip_api_call_data call;
	simNetUDP* udp;
	const void* data;
	size_t length;
	ip_addr_t address;
	uint16_t port;
	uint32_t multicast;
	int value;
} lwipUDPCall;

static void lwipUDPRelease(simNetUDP* u)
{
	if (lwipRelease(&u->uses))
		free(u);
}

/* loop thread */
static void lwipUDPDeliver(void* data)
{
	lwipDatagram* d = data;
	simNetUDP* u = d->udp;
	if (u->closed || !u->receiving)
		simNetBufFree(d->buf);
	else {
		int i;
		if (d->address == LWIP_LOOPBACK) {
			/* from the host's loopback: shown as the 127.x address this socket sent to at that port */
			for (i = 0; i < LWIP_UDP_PEERS; i++)
				if (u->sent[i].port == d->port && u->sent[i].address)
					d->address = u->sent[i].address;
		}
		(*u->up->received)(u->owner, d->buf, d->address, d->port);
		if (!u->closed)
			(*u->up->batch)(u->owner);
	}
	free(d);
	lwipUDPRelease(u);
}

/* tcpip thread */
static void lwipUDPReceived(void* arg, struct udp_pcb* pcb, struct pbuf* p, const ip_addr_t* address, u16_t port)
{
	simNetUDP* u = arg;
	lwipDatagram* d = malloc(sizeof(lwipDatagram));
	if (!d) {
		pbuf_free(p);
		return;
	}
	d->buf = lwipBuf(p);
	if (!d->buf) {
		free(d);
		return;
	}
	d->udp = u;
	d->address = lwipFromStack(ip4_addr_get_u32(ip_2_ip4(address)));
	d->port = port;
	lwipRetain(&u->uses);
	lwipPost(lwipUDPDeliver, d);
}

static err_t lwipUDPOpenCall(struct tcpip_api_call_data* call)
{
	lwipUDPCall* c = (lwipUDPCall*)call;
	struct udp_pcb* pcb = udp_new_ip_type(IPADDR_TYPE_V4);
	err_t err;
	if (!pcb)
		return ERR_MEM;
	if (c->multicast) {
		ip4_addr_t group;
		ip_set_option(pcb, SOF_REUSEADDR);
		ip4_addr_set_u32(&group, c->multicast);
		if ((err = igmp_joingroup(IP4_ADDR_ANY4, &group)) != ERR_OK) {
			udp_remove(pcb);
			return err;
		}
	}
	ip_set_option(pcb, SOF_BROADCAST);
	err = udp_bind(pcb, IP4_ADDR_ANY, c->port);   /* every interface, as on a board */
	if (err != ERR_OK) {
		udp_remove(pcb);
		return err;
	}
	c->udp->pcb = pcb;
	c->port = pcb->local_port;
	udp_recv(pcb, lwipUDPReceived, c->udp);
	return ERR_OK;
}

simNetUDP* lwipUDPOpen(uint32_t address, uint16_t port, uint32_t multicast, const simNetUDPUpcalls* up, void* owner, int* error)
{
	lwipUDPCall c;
	err_t err;
	simNetUDP* u = calloc(1, sizeof(simNetUDP));
	if (!u) {
		*error = ENOMEM;
		return NULL;
	}
	atomic_init(&u->uses, 2);
	u->up = up;
	u->owner = owner;
	u->receiving = 1;
	c.udp = u;
	c.port = port;
	c.multicast = multicast;
	err = lwipCall(lwipUDPOpenCall, &c.call);
	if (err != ERR_OK) {
		*error = multicast && err != ERR_USE ? -lwipErrno(err) : lwipErrno(err);
		free(u);
		return NULL;
	}
	u->port = c.port;
	u->address = address;
	u->guest = lwipOwnAddress();
	u->forwarded = xsnetSlirpForward(1, 1, u->port, u->guest, u->port) == 0;
	return u;
}

static err_t lwipUDPSendCall(struct tcpip_api_call_data* call)
{
	lwipUDPCall* c = (lwipUDPCall*)call;
	struct pbuf* p;
	err_t err;
	if (!c->udp->pcb)
		return ERR_CLSD;
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)c->length, PBUF_RAM);
	if (!p)
		return ERR_MEM;
	memcpy(p->payload, c->data, c->length);
	err = udp_sendto(c->udp->pcb, p, &c->address, c->port);
	pbuf_free(p);
	return err;
}

int lwipUDPSendTo(simNetUDP* u, const void* data, size_t length, uint32_t address, uint16_t port)
{
	lwipUDPCall c;
	err_t err;
	if (length > SIM_UDP_MAX)
		return -EMSGSIZE;
	if ((address & 0xFF) == 127 && address != LWIP_LOOPBACK) {
		int i, found = 0;
		for (i = 0; i < LWIP_UDP_PEERS; i++)
			if (u->sent[i].port == port && u->sent[i].address == address)
				found = 1;
		if (!found) {
			u->sent[u->sentNext].address = address;
			u->sent[u->sentNext].port = port;
			u->sentNext = (u->sentNext + 1) % LWIP_UDP_PEERS;
		}
	}
	c.udp = u;
	c.data = data;
	c.length = length;
	ip_addr_set_ip4_u32(&c.address, lwipToStack(address));
	c.port = port;
	err = lwipCall(lwipUDPSendCall, &c.call);
	return err == ERR_OK ? 0 : -lwipErrno(err);
}

void lwipUDPReceiving(simNetUDP* u, int on)
{
	u->receiving = on ? 1 : 0;
}

int lwipUDPAddress(simNetUDP* u, uint32_t* address, uint16_t* port)
{
	*address = u->address;
	*port = u->port;
	return 0;
}

/* value < 0: read; multicast 1: the multicast TTL only */
static err_t lwipUDPTTLCall(struct tcpip_api_call_data* call)
{
	lwipUDPCall* c = (lwipUDPCall*)call;
	if (!c->udp->pcb)
		return ERR_CLSD;
	if (c->value >= 0) {
		udp_set_multicast_ttl(c->udp->pcb, (u8_t)c->value);
		if (!c->multicast)
			c->udp->pcb->ttl = (u8_t)c->value;
	}
	c->value = c->udp->pcb->ttl;
	return ERR_OK;
}

int lwipUDPMulticastTTL(simNetUDP* u, int ttl)
{
	lwipUDPCall c;
	if (ttl < 0 || ttl > 255)
		return -EINVAL;
	c.udp = u;
	c.value = ttl;
	c.multicast = 1;
	return lwipCall(lwipUDPTTLCall, &c.call) == ERR_OK ? 0 : -EBADF;
}

int lwipUDPTTL(simNetUDP* u, int ttl)
{
	lwipUDPCall c;
	if (ttl > 255)
		return -EINVAL;
	c.udp = u;
	c.value = ttl;
	c.multicast = 0;
	return lwipCall(lwipUDPTTLCall, &c.call) == ERR_OK ? c.value : -EBADF;
}

static err_t lwipUDPCloseCall(struct tcpip_api_call_data* call)
{
	lwipUDPCall* c = (lwipUDPCall*)call;
	if (c->udp->pcb) {
		udp_remove(c->udp->pcb);
		c->udp->pcb = NULL;
		lwipUDPRelease(c->udp);
	}
	return ERR_OK;
}

void lwipUDPClose(simNetUDP* u)
{
	lwipUDPCall c;
	u->closed = 1;
	if (u->forwarded)
		xsnetSlirpForward(1, 0, u->port, u->guest, u->port);
	c.udp = u;
	lwipCall(lwipUDPCloseCall, &c.call);
	lwipUDPRelease(u);
}

static err_t lwipMulticastCall(struct tcpip_api_call_data* call)
{
	lwipUDPCall* c = (lwipUDPCall*)call;
	ip4_addr_t group;
	ip4_addr_set_u32(&group, c->multicast);
	return c->value ? igmp_joingroup(IP4_ADDR_ANY4, &group) : igmp_leavegroup(IP4_ADDR_ANY4, &group);
}

int lwipMulticastJoin(uint32_t interface, uint32_t group)
{
	lwipUDPCall c;
	err_t err;
	c.multicast = group;
	c.value = 1;
	err = lwipCall(lwipMulticastCall, &c.call);
	return err == ERR_OK ? 0 : -lwipErrno(err);
}

int lwipMulticastLeave(uint32_t interface, uint32_t group)
{
	lwipUDPCall c;
	c.multicast = group;
	c.value = 0;
	return lwipCall(lwipMulticastCall, &c.call) == ERR_OK ? 0 : -EADDRNOTAVAIL;
}
