/* xsnet simulator, lwIP backend: listeners (tcp_listen). As Moddable's lwIP Listener does, a listener binds every
 * interface (IP_ADDR_ANY) whatever address is asked. lwIP takes a connection as soon as it completes: connections the
 * owner cannot take yet (its queue is full) wait here, not in a kernel backlog.
 * Node peers reach it through slirp's host forwarding: the host's 127.0.0.1:<port> forwards to lwIP's <port> (the
 * same number; a port the host has taken already fails the listener with EADDRINUSE). */
#include "lwip.h"
#include "slirpif.h"

typedef struct lwipAccept lwipAccept;
struct lwipAccept {
	lwipAccept* next;
	simNetListener* listener;
	simNetTCP* tcp;
};

struct simNetListener {
	atomic_int uses;           /* the XS side until closed, the tcpip side until tcp_close, each event */
	struct tcp_pcb* pcb;       /* tcpip thread */
	/* XS thread */
	const simNetListenerUpcalls* up;
	void* owner;
	uint8_t accepting, closed, replaying;
	uint16_t port;
	uint32_t guest;            /* lwIP's address when the forwarding was made */
	lwipAccept* waiting;       /* accepted while the owner was not accepting */
	lwipAccept** waitingTail;
};

typedef struct {
	struct tcpip_api_call_data call;
	simNetListener* listener;
	uint16_t port;
} lwipListenCall;

static void lwipListenerRelease(simNetListener* l)
{
	if (lwipRelease(&l->uses))
		free(l);
}

/* loop thread */
static void lwipListenerAccepted(void* data)
{
	lwipAccept* a = data;
	simNetListener* l = a->listener;
	if (simTracing())
		fprintf(stderr, "[lwip listener :%d] accepted %p%s\n", l->port, (void*)a->tcp, l->accepting ? "" : " (waiting)");
	if (l->closed)
		lwipTCPClose(a->tcp, 0);
	else if (!l->accepting || l->waiting) {
		a->next = NULL;
		if (!l->waiting)
			l->waitingTail = &l->waiting;
		*l->waitingTail = a;
		l->waitingTail = &a->next;
		return;
	}
	else {
		(*l->up->accepted)(l->owner, a->tcp);
		if (!l->closed)
			(*l->up->batch)(l->owner);
	}
	free(a);
	lwipListenerRelease(l);
}

static void lwipListenerReplay(void* data)
{
	simNetListener* l = data;
	int count = 0;
	l->replaying = 0;
	while (l->waiting && l->accepting && !l->closed) {
		lwipAccept* a = l->waiting;
		l->waiting = a->next;
		count++;
		(*l->up->accepted)(l->owner, a->tcp);
		free(a);
		lwipListenerRelease(l);
	}
	if (count && !l->closed)
		(*l->up->batch)(l->owner);
	lwipListenerRelease(l);
}

/* tcpip thread */
static err_t lwipListenerAccept(void* arg, struct tcp_pcb* pcb, err_t err)
{
	simNetListener* l = arg;
	lwipAccept* a;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	a = calloc(1, sizeof(lwipAccept));
	if (!a || !(a->tcp = lwipTCPAccepted(pcb))) {
		free(a);
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	a->listener = l;
	lwipRetain(&l->uses);
	lwipPost(lwipListenerAccepted, a);
	return ERR_OK;
}

static err_t lwipListenCall_(struct tcpip_api_call_data* call)
{
	lwipListenCall* c = (lwipListenCall*)call;
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4), *listening;
	err_t err;
	if (!pcb)
		return ERR_MEM;
	ip_set_option(pcb, SOF_REUSEADDR);
	err = tcp_bind(pcb, IP4_ADDR_ANY, c->port);
	if (err != ERR_OK) {
		tcp_close(pcb);
		return err;
	}
	listening = tcp_listen_with_backlog_and_err(pcb, SIM_LISTEN_BACKLOG, &err);
	if (!listening) {
		tcp_close(pcb);
		return err;                 /* ERR_USE: another listener has the port */
	}
	c->listener->pcb = listening;
	c->port = listening->local_port;
	tcp_arg(listening, c->listener);
	tcp_accept(listening, lwipListenerAccept);
	return ERR_OK;
}

static err_t lwipListenerCloseCall(struct tcpip_api_call_data* call)
{
	lwipListenCall* c = (lwipListenCall*)call;
	if (c->listener->pcb) {
		tcp_arg(c->listener->pcb, NULL);
		tcp_accept(c->listener->pcb, NULL);
		tcp_close(c->listener->pcb);
		c->listener->pcb = NULL;
		lwipListenerRelease(c->listener);
	}
	return ERR_OK;
}

simNetListener* lwipListen(uint32_t address, uint16_t port, const simNetListenerUpcalls* up, void* owner, int* error)
{
	lwipListenCall c;
	err_t err;
	simNetListener* l = calloc(1, sizeof(simNetListener));
	if (!l) {
		*error = ENOMEM;
		return NULL;
	}
	atomic_init(&l->uses, 2);
	l->up = up;
	l->owner = owner;
	l->accepting = 1;
	c.listener = l;
	c.port = port;
	err = lwipCall(lwipListenCall_, &c.call);
	if (err != ERR_OK) {
		*error = lwipErrno(err);
		free(l);
		return NULL;
	}
	l->port = c.port;
	l->guest = lwipOwnAddress();
	if (xsnetSlirpForward(0, 1, l->port, l->guest, l->port) < 0) {
		lwipCall(lwipListenerCloseCall, &c.call);
		free(l);
		*error = EADDRINUSE;
		return NULL;
	}
	return l;
}

void lwipListenerAccepting(simNetListener* l, int on)
{
	l->accepting = on ? 1 : 0;
	if (on && l->waiting && !l->replaying) {
		l->replaying = 1;
		lwipRetain(&l->uses);
		lwipPost(lwipListenerReplay, l);
	}
}

int lwipListenerAddress(simNetListener* l, uint32_t* address, uint16_t* port)
{
	*address = 0;                  /* every interface */
	*port = l->port;
	return 0;
}

void lwipListenerClose(simNetListener* l)
{
	lwipListenCall c;
	l->closed = 1;
	xsnetSlirpForward(0, 0, l->port, l->guest, l->port);
	c.listener = l;
	lwipCall(lwipListenerCloseCall, &c.call);
	while (l->waiting) {
		lwipAccept* a = l->waiting;
		l->waiting = a->next;
		lwipTCPClose(a->tcp, 0);
		free(a);
		lwipListenerRelease(l);
	}
	lwipListenerRelease(l);
}
