/* xsnet simulator, lwIP backend: TCP connections over lwIP's raw API (tcp_connect, tcp_write, tcp_recved...).
 * Downcalls run on the tcpip thread (lwipCall); lwIP's callbacks post events to the loop in order (tcp-events.c),
 * where they become the seam's upcalls. Received pbufs reach the owner as they come: one segment (at most TCP_MSS bytes)
 * per received upcall, owned by the receiver (pbuf_free when it frees the buffer); the window reopens only with
 * tcpRecved (tcp_recved), so an owner that does not consume closes lwIP's 5,760-byte window and stalls the peer. */
#include "tcp.h"

typedef struct {
	struct tcpip_api_call_data call;
	simNetTCP* tcp;
	const void* data;
	size_t length;
	size_t result;
	int value;
	ip_addr_t address;
	uint16_t port;
} lwipTCPCall;

/* ---- tcpip thread: lwIP's callbacks ---- */

static err_t lwipTCPConnected(void* arg, struct tcp_pcb* pcb, err_t err)
{
	lwipTCPPost(arg, kEventConnected, tcp_sndbuf(pcb), NULL);
	return ERR_OK;
}

static err_t lwipTCPReceived(void* arg, struct tcp_pcb* pcb, struct pbuf* p, err_t err)
{
	simNetTCP* tcp = arg;
	struct pbuf* q;
	if (!p) {
		lwipTCPPost(tcp, kEventReceived, 0, NULL);
		return ERR_OK;
	}
	tcp->inflight += p->tot_len;
	if (!p->next) {
		simNetBuf* buf = lwipBuf(p);   /* the pbuf itself, freed by the receiver */
		if (buf)
			lwipTCPPost(tcp, kEventReceived, 0, buf);
		return ERR_OK;
	}
	for (q = p; q; q = q->next) {     /* segments chained (reassembled out of order): one event each */
		simNetBuf* buf = simNetBufNew(q->payload, q->len);
		if (buf)
			lwipTCPPost(tcp, kEventReceived, 0, buf);
	}
	pbuf_free(p);
	return ERR_OK;
}

static err_t lwipTCPSent(void* arg, struct tcp_pcb* pcb, u16_t length)
{
	lwipTCPPost(arg, kEventSent, tcp_sndbuf(pcb), NULL);
	return ERR_OK;
}

/* lwIP freed the pcb (reset, timeout, refused): the tcpip side lets go */
static void lwipTCPError(void* arg, err_t err)
{
	simNetTCP* tcp = arg;
	tcp->pcb = NULL;
	lwipTCPPost(tcp, kEventFailed, err, NULL);
	lwipTCPRelease(tcp);
}

static void lwipTCPHook(simNetTCP* tcp, struct tcp_pcb* pcb)
{
	tcp->pcb = pcb;
	tcp_arg(pcb, tcp);
	tcp_recv(pcb, lwipTCPReceived);
	tcp_sent(pcb, lwipTCPSent);
	tcp_err(pcb, lwipTCPError);
}

static simNetTCP* lwipTCPNew(void)
{
	simNetTCP* tcp = calloc(1, sizeof(simNetTCP));
	if (tcp)
		atomic_init(&tcp->uses, 2);   /* the XS side and the tcpip side */
	return tcp;
}

simNetTCP* lwipTCPAccepted(struct tcp_pcb* pcb)
{
	simNetTCP* tcp = lwipTCPNew();
	if (!tcp)
		return NULL;
	lwipTCPHook(tcp, pcb);
	tcp->sndbuf = tcp_sndbuf(pcb);
	return tcp;
}

/* ---- downcalls (XS thread), each running its lwIP part on the tcpip thread ---- */

static err_t lwipTCPConnectCall(struct tcpip_api_call_data* call)
{
	lwipTCPCall* c = (lwipTCPCall*)call;
	struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
	err_t err;
	if (!pcb)
		return ERR_MEM;
	lwipTCPHook(c->tcp, pcb);
	err = tcp_connect(pcb, &c->address, c->port, lwipTCPConnected);
	if (err != ERR_OK) {
		tcp_arg(pcb, NULL);
		tcp_err(pcb, NULL);
		tcp_abort(pcb);
		c->tcp->pcb = NULL;
	}
	return err;
}

simNetTCP* lwipTCPConnect(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error)
{
	lwipTCPCall c;
	err_t err;
	simNetTCP* tcp = lwipTCPNew();
	if (!tcp) {
		*error = ENOMEM;
		return NULL;
	}
	tcp->up = up;
	tcp->owner = owner;
	tcp->destination = address;
	c.tcp = tcp;
	if ((address & 0xFF) == 127 && address != LWIP_LOOPBACK) {
		/* slirp reaches the host's 127.0.0.1 only: another 127.x is refused, as a board's loopback refuses a port
		 * where nothing listens (failed on a later turn, as lwIP reports a RST) */
		lwipTCPPost(tcp, kEventFailed, ERR_RST, NULL);
		lwipTCPRelease(tcp);        /* no pcb: the tcpip side lets go at once */
		return tcp;
	}
	ip_addr_set_ip4_u32(&c.address, lwipToStack(address));
	c.port = port;
	err = lwipCall(lwipTCPConnectCall, &c.call);
	if (err != ERR_OK) {
		*error = lwipErrno(err);
		free(tcp);
		return NULL;
	}
	return tcp;
}

void lwipTCPAdopt(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner)
{
	tcp->up = up;
	tcp->owner = owner;
	if (tcp->early)
		lwipTCPRequeue(tcp);        /* upcalls never come from inside a downcall: from the pump, later */
}

static err_t lwipTCPWriteCall(struct tcpip_api_call_data* call)
{
	lwipTCPCall* c = (lwipTCPCall*)call;
	struct tcp_pcb* pcb = c->tcp->pcb;
	c->result = 0;
	if (!pcb)
		return ERR_CLSD;
	while (c->result < c->length) {
		size_t n = c->length - c->result, room = tcp_sndbuf(pcb);
		if (n > room) n = room;
		if (n > 0xFFFF) n = 0xFFFF;
		if (!n || tcp_write(pcb, (const uint8_t*)c->data + c->result, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;                  /* the send buffer or its segment queue (TCP_SND_QUEUELEN) is full */
		c->result += n;
	}
	if (c->result)
		tcp_output(pcb);
	c->value = tcp_sndbuf(pcb);
	return ERR_OK;
}

size_t lwipTCPWrite(simNetTCP* tcp, const void* data, size_t length)
{
	lwipTCPCall c;
	if (tcp->closed)
		return 0;
	c.tcp = tcp;
	c.data = data;
	c.length = length;
	if (lwipCall(lwipTCPWriteCall, &c.call) != ERR_OK)
		return 0;
	tcp->sndbuf = c.value;
	return c.result;
}

size_t lwipTCPSndbuf(simNetTCP* tcp)
{
	return tcp->sndbuf;
}

size_t lwipTCPQueued(simNetTCP* tcp)
{
	return tcp->sndbuf < TCP_SND_BUF ? TCP_SND_BUF - tcp->sndbuf : 0;   /* taken, not yet acknowledged */
}

static err_t lwipTCPRecvedCall(struct tcpip_api_call_data* call)
{
	lwipTCPCall* c = (lwipTCPCall*)call;
	size_t length = c->length;
	if (length > c->tcp->inflight)
		length = c->tcp->inflight;
	c->tcp->inflight -= length;
	while (c->tcp->pcb && length) {
		u16_t n = length > 0xFFFF ? 0xFFFF : (u16_t)length;
		tcp_recved(c->tcp->pcb, n);
		length -= n;
	}
	return ERR_OK;
}

void lwipTCPRecved(simNetTCP* tcp, size_t length)
{
	lwipTCPCall c;
	c.tcp = tcp;
	c.length = length;
	lwipCall(lwipTCPRecvedCall, &c.call);
}

/* value 1: tcp_close (queued output still goes, then FIN); 0: tcp_abort */
static err_t lwipTCPCloseCall(struct tcpip_api_call_data* call)
{
	lwipTCPCall* c = (lwipTCPCall*)call;
	simNetTCP* tcp = c->tcp;
	struct tcp_pcb* pcb = tcp->pcb;
	if (!pcb)
		return ERR_OK;
	tcp->pcb = NULL;
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);          /* lwIP's tcp_recv_null takes what still comes */
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	if (c->value) {
		/* bytes delivered but not consumed: acknowledged, or tcp_close would reset the connection */
		while (tcp->inflight) {
			u16_t n = tcp->inflight > 0xFFFF ? 0xFFFF : (u16_t)tcp->inflight;
			tcp_recved(pcb, n);
			tcp->inflight -= n;
		}
		if (tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
	else
		tcp_abort(pcb);
	lwipTCPRelease(tcp);          /* lwIP calls back no more */
	return ERR_OK;
}

static void lwipTCPEnd(simNetTCP* tcp, int close)
{
	lwipTCPCall c;
	if (simTracing())
		fprintf(stderr, "[lwip tcp %p] %s\n", (void*)tcp, close ? "tcp_close" : "tcp_abort");
	tcp->closed = 1;
	c.tcp = tcp;
	c.value = close;
	lwipCall(lwipTCPCloseCall, &c.call);
	while (tcp->early) {          /* never adopted, or not replayed yet: dropped, each letting go of its use */
		lwipTCPEvent* e = tcp->early;
		tcp->early = e->next;
		lwipTCPDeliver(e);
	}
	lwipTCPRelease(tcp);          /* the XS side */
}

void lwipTCPClose(simNetTCP* tcp, int flush)
{
	lwipTCPEnd(tcp, 1);           /* lwIP has no close that drops queued output but tcp_abort; both close gracefully */
}

void lwipTCPAbort(simNetTCP* tcp)
{
	lwipTCPEnd(tcp, 0);
}

static err_t lwipTCPAddressCall(struct tcpip_api_call_data* call)
{
	lwipTCPCall* c = (lwipTCPCall*)call;
	struct tcp_pcb* pcb = c->tcp->pcb;
	if (!pcb || (pcb->state < ESTABLISHED && c->value))
		return ERR_CONN;
	ip_addr_copy(c->address, c->value ? pcb->remote_ip : pcb->local_ip);
	c->port = c->value ? pcb->remote_port : pcb->local_port;
	return ERR_OK;
}

int lwipTCPAddress(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port)
{
	lwipTCPCall c;
	remote = remote ? 1 : 0;
	if (!tcp->known[remote]) {
		c.tcp = tcp;
		c.value = remote;
		if (tcp->closed || lwipCall(lwipTCPAddressCall, &c.call) != ERR_OK || !c.port)
			return -1;
		tcp->address[remote] = ip4_addr_get_u32(ip_2_ip4(&c.address));
		if (remote && tcp->address[remote] == LWIP_SLIRP_HOST && tcp->destination != LWIP_SLIRP_HOST)
			tcp->address[remote] = LWIP_LOOPBACK;
		tcp->port[remote] = c.port;
		tcp->known[remote] = 1;
	}
	*address = tcp->address[remote];
	*port = tcp->port[remote];
	return 0;
}

static err_t lwipTCPTTLCall(struct tcpip_api_call_data* call)
{
	lwipTCPCall* c = (lwipTCPCall*)call;
	if (!c->tcp->pcb)
		return ERR_CLSD;
	if (c->value >= 0)
		c->tcp->pcb->ttl = (u8_t)c->value;
	c->value = c->tcp->pcb->ttl;
	return ERR_OK;
}

int lwipTCPTTL(simNetTCP* tcp, int ttl)
{
	lwipTCPCall c;
	if (tcp->closed)
		return -EBADF;
	if (ttl > 255)
		return -EINVAL;
	c.tcp = tcp;
	c.value = ttl;
	return lwipCall(lwipTCPTTLCall, &c.call) == ERR_OK ? c.value : -ENOTCONN;
}

static err_t lwipTCPOptionCall(struct tcpip_api_call_data* call)
{
	lwipTCPCall* c = (lwipTCPCall*)call;
	struct tcp_pcb* pcb = c->tcp->pcb;
	if (!pcb)
		return ERR_CLSD;
	if (c->length == kSimNetNoDelay) {
		if (c->value) tcp_nagle_disable(pcb);
		else tcp_nagle_enable(pcb);
	}
	else if (c->length == kSimNetKeepAlive && c->value > 0) {
		ip_set_option(pcb, SOF_KEEPALIVE);
		pcb->keep_idle = (u32_t)c->value * 1000;
		pcb->keep_intvl = (u32_t)c->value * 1000;
	}
	return ERR_OK;
}

void lwipTCPOption(simNetTCP* tcp, int option, int value)
{
	lwipTCPCall c;
	if (tcp->closed)
		return;
	c.tcp = tcp;
	c.length = option;
	c.value = value;
	lwipCall(lwipTCPOptionCall, &c.call);
}
