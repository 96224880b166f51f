/* xsnet/native for boards: what a socket of Moddable's ECMA-419 lwIP classes keeps in its lwIP pcb and the classes
 * do not expose: the IP time-to-live (ttl()) and the local address and port (local()), over lwIP 2.x.
 *
 * Those classes (the SDK's modules/io/socket/lwip/tcp.c, udp.c) keep their pcb private: the socket's host data is
 * their TCPRecord or UDPRecord, whose first member is the pcb, `struct tcp_pcb* skt` or `struct udp_pcb* skt`
 * (Moddable SDK 2026-06, commit 48ee02d8c, unchanged since 2019). That layout is Moddable's, not an API, and C
 * cannot check that an object is one of Moddable's sockets (their hooks are static): xsnet's core passes only
 * its own host sockets, and says which kind each is. docs/nodemcu-net.md, "Moddable's lwIP classes: reading their
 * pcb, or shipping our own", weighs this against classes of our own.
 *
 * The pcb is read on lwIP's thread (lwipcall.h), where Moddable's error callback clears `skt` when lwIP frees the
 * pcb. It is used only while lwIP still lists it (tcp_bound_pcbs, tcp_active_pcbs, tcp_tw_pcbs; udp_pcbs): after
 * the peer's FIN Moddable's class removes its error callback but keeps `skt`, so a reset or a retransmission
 * timeout then frees the pcb behind a pointer that stays set. (A new pcb at the same address would pass: then the
 * read is of that socket's, never of freed memory.)
 * Written for xsnet against lwIP's public headers (tcp.h, udp.h; the pcb lists of priv/tcp_priv.h). */
#include "xsmc.h"
#include "xsHost.h"
#include "lwip/init.h"

#if LWIP_VERSION_MAJOR >= 2
#include "lwip/ip_addr.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwipcall.h"

/* The first member of Moddable's TCPRecord and UDPRecord: the socket's pcb, NULL once lwIP freed it. */
typedef union {
	struct tcp_pcb* tcp;
	struct udp_pcb* udp;
} xsnetModdablePcb;

/* One ttl() or local() read of a socket's pcb on lwIP's thread. */
typedef struct {
	xsnetLwipCallData call;
	xsnetModdablePcb* record;   /* the socket's host data */
	uint8_t udp;                /* the record is UDP's */
	uint8_t found;              /* the pcb is still lwIP's */
	int set;                    /* ttl(): -1 reads only */
	int ttl;
	ip_addr_t address;          /* local(): pcb->local_ip */
	u16_t port;                 /* local(): pcb->local_port */
} xsnetPcbCall;

/* The record's pcb while lwIP still lists it, else NULL. lwIP's thread. */
static struct tcp_pcb* xsnetTCPPcb(xsnetModdablePcb* record)
{
	struct tcp_pcb* const lists[3] = { tcp_bound_pcbs, tcp_active_pcbs, tcp_tw_pcbs };
	struct tcp_pcb* pcb;
	int i;
	if (!record->tcp)
		return NULL;
	for (i = 0; i < 3; i++) {
		for (pcb = lists[i]; pcb; pcb = pcb->next) {
			if (pcb == record->tcp)
				return pcb;
		}
	}
	return NULL;
}

static struct udp_pcb* xsnetUDPPcb(xsnetModdablePcb* record)
{
	struct udp_pcb* pcb;
	if (!record->udp)
		return NULL;
	for (pcb = udp_pcbs; pcb; pcb = pcb->next) {
		if (pcb == record->udp)
			return pcb;
	}
	return NULL;
}

/* The socket's host data, or NULL once Moddable's close() cleared it. Throws (XS) for an object that is not a host
 * object: xsnet's core never passes one. */
static xsnetModdablePcb* xsnetRecord(xsMachine* the, xsSlot* socket)
{
	if (xsmcTypeOf(*socket) != xsReferenceType)
		return NULL;
	return xsmcGetHostData(*socket);
}

static err_t xsnetTTLInLwip(xsnetLwipCallData* call)
{
	xsnetPcbCall* c = (xsnetPcbCall*)call;
	if (c->udp) {
		struct udp_pcb* pcb = xsnetUDPPcb(c->record);
		c->found = pcb != NULL;
		if (!pcb)
			return ERR_CLSD;
		if (c->set >= 0) {
			pcb->ttl = (u8_t)c->set;
#if LWIP_MULTICAST_TX_OPTIONS
			udp_set_multicast_ttl(pcb, (u8_t)c->set);
#endif
		}
		c->ttl = pcb->ttl;
	}
	else {
		struct tcp_pcb* pcb = xsnetTCPPcb(c->record);
		c->found = pcb != NULL;
		if (!pcb)
			return ERR_CLSD;
		if (c->set >= 0)
			pcb->ttl = (u8_t)c->set;
		c->ttl = pcb->ttl;
	}
	return ERR_OK;
}

/* ttl(socket[, value]) -> the socket's IP time-to-live (0..255), set first to `value` when one is given.
 * `socket`: a TCP or UDP socket of Moddable's lwIP classes; a UDP socket (one without TCP's remoteAddress) gets the
 * value as its multicast TTL too, as the simulator sets IP_TTL and IP_MULTICAST_TTL (lwIP: udp_set_multicast_ttl,
 * LWIP_MULTICAST_TX_OPTIONS).
 * Throws RangeError "invalid ttl" (not 0..255), Error "socket is not open/bound yet" (closed, or its pcb is gone). */
void xs_native_ttl(xsMachine* the)
{
	xsnetPcbCall c;
	c.set = -1;
	if (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) {
		c.set = xsmcToInteger(xsArg(1));
		if (c.set < 0 || c.set > 255)
			xsRangeError("invalid ttl");
	}
	c.record = xsnetRecord(the, &xsArg(0));
	if (!c.record)
		xsUnknownError("socket is not open/bound yet");
	c.udp = !xsmcHas(xsArg(0), xsID("remoteAddress"));
	xsnetLwipCall(xsnetTTLInLwip, &c);
	if (!c.found)
		xsUnknownError("socket is not open/bound yet");
	xsmcSetInteger(xsResult, c.ttl);
}

static err_t xsnetLocalInLwip(xsnetLwipCallData* call)
{
	xsnetPcbCall* c = (xsnetPcbCall*)call;
	c->port = 0;
	if (c->udp) {
		struct udp_pcb* pcb = xsnetUDPPcb(c->record);
		if (pcb) {
			ip_addr_copy(c->address, pcb->local_ip);
			c->port = pcb->local_port;
		}
	}
	else {
		struct tcp_pcb* pcb = xsnetTCPPcb(c->record);
		if (pcb) {
			ip_addr_copy(c->address, pcb->local_ip);
			c->port = pcb->local_port;
		}
	}
	return c->port ? ERR_OK : ERR_CLSD;
}

/* local(socket, udp) -> [port, "a.b.c.d"], the local end of a socket of Moddable's lwIP classes, or undefined
 * (closed, its pcb gone, not bound yet). `udp`: true for a UDP socket (its pcb is a struct udp_pcb), false for TCP.
 * lwIP: pcb->local_port and pcb->local_ip; a TCP client's are set by tcp_connect() (the interface's address, an
 * ephemeral port), a UDP socket's address is 0.0.0.0 (Moddable binds IP_ADDR_ANY). */
void xs_native_local(xsMachine* the)
{
	xsnetPcbCall c;
	char text[IPADDR_STRLEN_MAX];
	c.record = xsnetRecord(the, &xsArg(0));
	if (!c.record)
		return;
	c.udp = xsmcArgc > 1 && xsmcTest(xsArg(1));
	xsnetLwipCall(xsnetLocalInLwip, &c);
	if (!c.port)
		return;
	ipaddr_ntoa_r(&c.address, text, sizeof(text));
	xsmcVars(1);
	xsmcSetNewArray(xsResult, 2);
	xsmcSetInteger(xsVar(0), c.port);
	xsmcSetIndex(xsResult, 0, xsVar(0));
	xsmcSetString(xsVar(0), text);
	xsmcSetIndex(xsResult, 1, xsVar(0));
}

#else /* lwIP 1.4 (ESP8266): not available yet */
void xs_native_ttl(xsMachine* the) { xsUnknownError("ttl() is not available on this platform yet"); }
void xs_native_local(xsMachine* the) { }
#endif
