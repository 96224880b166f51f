/* xsnet simulator: ECMA-419 `embedded:io/socket/udp` over the network seam. Always bound (port 0 = any free
 * port) so that `port`/`address` (an extension of ours) tell the local end. Datagrams are queued up to
 * SIM_UDP_QUEUE; onReadable(count) tells how many wait; when the app falls behind, the socket stops receiving
 * and the stack drops what overflows, as a board's does.
 * Options `multicast` (group to join) and `timeToLive` (multicast TTL, 1..255) as Moddable's UDP has.
 * A closed UDP throws SyntaxError from read(), write() and its getters (Moddable's classes lose their host
 * data at close()); a second close() does nothing. */
#include "bindings.h"

typedef struct {
	uint32_t address;
	uint16_t port;
	uint32_t length;
	uint8_t data[];
} simPacket;

typedef struct {
	simReadable r;             /* first */
	simNetUDP* net;
	simPacket* queue[SIM_UDP_QUEUE];
	int count;
} simUDP;

void xs_udp_destructor(void* data);
static const xsHostHooks gUDPHooks = { xs_udp_destructor, simReadableMark, NULL };

/* Free the queue and the socket (no XS call: also used by the destructor). */
static void simUDPDrop(simReadable* r)
{
	simUDP* u = (simUDP*)r;
	int i;
	for (i = 0; i < u->count; i++)
		free(u->queue[i]);
	u->count = 0;
	if (u->net) {
		simNet()->udpClose(u->net);
		u->net = NULL;
	}
}

void xs_udp_destructor(void* data)
{
	simUDP* u = data;
	if (!u)
		return;
	simUDPDrop(&u->r);
	simReadableRelease(NULL, &u->r);
	simDeferFree(u);
}

/* `this` as an open UDP instance; SyntaxError when closed or of another class (as Moddable's). */
static simUDP* simUDPGet(xsMachine* the)
{
	return simReadableGet(the, &gUDPHooks);
}

static void simUDPReceived(void* owner, simNetBuf* buf, uint32_t address, uint16_t port)
{
	simUDP* u = owner;
	xsMachine* the = u->r.the;
	simPacket* p = u->count < SIM_UDP_QUEUE ? malloc(sizeof(simPacket) + buf->length) : NULL;
	if (p) {
		p->address = address;
		p->port = port;
		p->length = (uint32_t)buf->length;
		memcpy(p->data, buf->data, buf->length);
		u->queue[u->count++] = p;
		/* the app is behind: the stack drops what overflows */
		if (u->count == SIM_UDP_QUEUE || xsTypeOf(u->r.onReadable) == xsUndefinedType)
			simNet()->udpReceiving(u->net, 0);
	}
	simNetBufFree(buf);
}

static void simUDPBatch(void* owner)
{
	simUDP* u = owner;
	simReadableNotify(&u->r, u->count);
}

static const simNetUDPUpcalls gUDPUpcalls = { simUDPReceived, simUDPBatch };

/* new UDP({port = 0, address = "0.0.0.0", onReadable, format: "buffer", multicast, timeToLive, target}).
 * As Moddable's: a port ToInteger refuses (a symbol) throws TypeError, one out of 0..65535 RangeError; a
 * callback that is no function Error("not a function"); a format other than "buffer" RangeError. `address`
 * is an extension of ours (Moddable's lwIP UDP always binds every address). */
void xs_udp_constructor(xsMachine* the)
{
	simUDP* u;
	int port = 0, ttl = 1, error = 0;
	uint32_t address = 0, multicast = 0;
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
	if (simHasOption(the, &options, "multicast", &xsVar(0))) {
		if (!simToIPv4(the, &xsVar(0), &multicast))
			xsRangeError("invalid IP address");
		if (simHasOption(the, &options, "timeToLive", &xsVar(0))) {
			ttl = xsToInteger(xsVar(0));
			if (ttl < 1 || ttl > 255)
				xsRangeError("invalid timeToLive");
		}
	}
	u = calloc(1, sizeof(simUDP));
	if (!u)
		xsUnknownError("out of memory");
	u->net = simNet()->udpOpen(address, (uint16_t)port, multicast, &gUDPUpcalls, u, &error);
	if (!u->net) {
		free(u);
		if (error < 0)
			xsUnknownError("multicast: %s", strerror(-error));
		if (error == EADDRINUSE)
			xsUnknownError("address in use");
		xsUnknownError("bind: %s", strerror(error));
	}
	if (multicast)
		simNet()->udpMulticastTTL(u->net, ttl);
	simReadableOpen(the, &u->r, &gUDPHooks, &options);
}

simNetUDP* simUDPSocket(xsMachine* the, xsSlot* slot)
{
	simUDP* u = simHostDataIf(the, slot, &gUDPHooks);
	return (u && !u->r.closed) ? u->net : NULL;
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
	simNet()->udpReceiving(u->net, 1);
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
	uint32_t address;
	int port, error;
	if (!simToIPv4(the, &xsArg(1), &address))
		xsRangeError("invalid IP address");
	port = xsToInteger(xsArg(2));
	xsmcGetBufferReadable(xsArg(0), &data, &length);
	if (port <= 0 || port > 65535)
		xsRangeError("invalid port");
	if (length > SIM_UDP_MAX)
		xsRangeError("datagram too large: %u bytes (at most %u)", (unsigned)length, (unsigned)SIM_UDP_MAX);
	error = simNet()->udpSendTo(u->net, data, length, address, (uint16_t)port);
	if (error < 0) {
		if (error == -EMSGSIZE)
			xsRangeError("datagram too large: %u bytes", (unsigned)length);
		xsUnknownError("send: %s", strerror(-error));
	}
}

void xs_udp_close(xsMachine* the)
{
	simReadableClose(the, &gUDPHooks, simUDPDrop);
}

void xs_udp_get_port(xsMachine* the)
{
	simUDP* u = simUDPGet(the);
	uint32_t address;
	uint16_t port;
	simNet()->udpAddress(u->net, &address, &port);
	xsResult = xsInteger(port);
}

void xs_udp_get_address(xsMachine* the)
{
	simUDP* u = simUDPGet(the);
	uint32_t address;
	uint16_t port;
	char text[16];
	simNet()->udpAddress(u->net, &address, &port);
	simFormatIPv4(address, text);
	xsResult = xsString(text);
}
