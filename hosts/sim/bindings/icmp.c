/* xsnet simulator: the ICMP socket of xsnet/native (lwIP: raw_new(IP_PROTO_ICMP)), for net.ping, over the
 * network seam. new ICMP({onReadable(count)}); write(message, address) sends an ICMP message (header included;
 * the caller computes the checksum); read() -> ArrayBuffer of one ICMP message (no IP header) with `address`.
 * As modules/native/lwip/icmp.c: read() and write() of a closed socket throw Error("closed"); `this` of another
 * class throws SyntaxError. */
#include "bindings.h"

typedef struct {
	uint32_t address;
	uint32_t length;
	uint8_t data[];
} simICMPPacket;

typedef struct {
	simReadable r;             /* first */
	simNetICMP* net;
	simICMPPacket* queue[SIM_ICMP_QUEUE];
	int count;
} simICMP;

void xs_icmp_destructor(void* data);
static const xsHostHooks gICMPHooks = { xs_icmp_destructor, simReadableMark, NULL };

static void simICMPRelease(xsMachine* the, simICMP* s)
{
	int i;
	for (i = 0; i < s->count; i++)
		free(s->queue[i]);
	s->count = 0;
	if (s->net) {
		simNet()->icmpClose(s->net);
		s->net = NULL;
	}
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

static void simICMPReceived(void* owner, simNetBuf* buf, uint32_t address)
{
	simICMP* s = owner;
	simICMPPacket* p = s->count < SIM_ICMP_QUEUE ? malloc(sizeof(simICMPPacket) + buf->length) : NULL;
	if (p) {
		p->address = address;
		p->length = (uint32_t)buf->length;
		memcpy(p->data, buf->data, buf->length);
		s->queue[s->count++] = p;
		if (s->count == SIM_ICMP_QUEUE)
			simNet()->icmpReceiving(s->net, 0);
	}
	simNetBufFree(buf);
}

static void simICMPBatch(void* owner)
{
	simICMP* s = owner;
	simReadableNotify(&s->r, s->count);
}

static const simNetICMPUpcalls gICMPUpcalls = { simICMPReceived, simICMPBatch };

/* `this` as an ICMP instance that is still open; SyntaxError for another class, Error("closed") */
static simICMP* simICMPGet(xsMachine* the)
{
	simICMP* s = xsGetHostDataValidate(xsThis, (void*)&gICMPHooks);
	if (s->r.closed)
		xsUnknownError("closed");
	return s;
}

/* new ICMP({onReadable, target}). Error when the system allows no ICMP socket (needs root or
 * net.ipv4.ping_group_range). */
void xs_icmp_constructor(xsMachine* the)
{
	simICMP* s;
	int error = 0;
	xsVars(1);
	s = calloc(1, sizeof(simICMP));
	if (!s)
		xsUnknownError("out of memory");
	s->net = simNet()->icmpOpen(&gICMPUpcalls, s, &error);
	if (!s->net) {
		free(s);
		xsUnknownError("ICMP needs root or net.ipv4.ping_group_range: %s", strerror(error));
	}
	xsVar(0) = xsToInteger(xsArgc) > 0 ? xsArg(0) : xsUndefined;
	simReadableOpen(the, &s->r, &gICMPHooks, &xsVar(0));
}

/* read() -> ArrayBuffer with .address | undefined */
void xs_icmp_read(xsMachine* the)
{
	simICMP* s = simICMPGet(the);
	simICMPPacket* p;
	char address[16];
	if (!s->count)
		return;
	p = s->queue[0];
	s->count--;
	memmove(s->queue, s->queue + 1, s->count * sizeof(simICMPPacket*));
	simNet()->icmpReceiving(s->net, 1);
	xsResult = xsArrayBuffer(p->data, p->length);
	simFormatIPv4(p->address, address);
	xsDefine(xsResult, xsID("address"), xsString(address), xsDefault);
	free(p);
}

/* write(message, address): TypeError for no buffer or an address that is no dotted quad; Error when the
 * system refuses to send. */
void xs_icmp_write(xsMachine* the)
{
	simICMP* s = simICMPGet(the);
	void* data;
	xsUnsignedValue length;
	uint32_t address;
	int error;
	xsmcGetBufferReadable(xsArg(0), &data, &length);
	address = simParseIPv4(the, &xsArg(1));
	error = simNet()->icmpSendTo(s->net, data, length, address);
	if (error < 0)
		xsUnknownError("ICMP send: %s", strerror(-error));
}

/* close(): a second close() does nothing. */
void xs_icmp_close(xsMachine* the)
{
	simICMP* s = xsGetHostDataValidate(xsThis, (void*)&gICMPHooks);
	if (s->r.closed)
		return;
	s->r.closed = 1;
	simICMPRelease(the, s);
}
