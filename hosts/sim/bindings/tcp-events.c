/* xsnet simulator: an embedded:io/socket/tcp record's side of the loop (the class is in tcp.c): the seam's
 * upcalls (connected, received, writable, failed), bytes held after a short write, and the trigger timer that
 * delivers onWritable, onReadable and onError on a later turn, as lwIP's tcpDeliver does. */
#include "tcp.h"

void simTCPRemember(simTCP* tcp)
{
	xsMachine* the = tcp->the;
	if (simTCPHas(tcp, kTCPRemembered))
		return;
	simTCPSet(tcp, kTCPRemembered);
	xsRemember(tcp->object);
	simRef();
}

void simTCPForget(simTCP* tcp)
{
	xsMachine* the = tcp->the;
	if (!simTCPHas(tcp, kTCPRemembered))
		return;
	simTCPClear(tcp, kTCPRemembered);
	xsForget(tcp->object);
	simUnref();
}

void simTCPRelease(simTCP* tcp)
{
	if (tcp->net) {
		simNet()->tcpClose(tcp->net, 0);
		tcp->net = NULL;
	}
	tcp->heldLength = 0;
	simTCPClear(tcp, kTCPLingering);
}

void simTCPDropPending(simTCP* tcp)
{
	free(tcp->pendingOwned);
	tcp->pendingOwned = NULL;
	tcp->pending = NULL;
	tcp->pendingLength = 0;
}

void simTCPFree(simTCP* tcp)
{
	simTimerCancel(&tcp->trigger);
	simTCPRelease(tcp);
	free(tcp->pendingOwned);
	free(tcp->held);
	simDeferFree(tcp);
}

/* The record is freed once no instance refers to it, no C frame uses it and no held bytes are being offered. */
void simTCPLeave(simTCP* tcp)
{
	if (--tcp->busy == 0 && !simTCPHas(tcp, kTCPAttached) && !simTCPHas(tcp, kTCPLingering))
		simTCPFree(tcp);
}

/* Call one of the instance's callbacks; the caller holds `busy`. */
static void simTCPCall(simTCP* tcp, xsSlot* fn, size_t value)
{
	xsMachine* the = tcp->the;
	xsSlot arg = xsInteger((xsIntegerValue)value), object = tcp->object, function = *fn;
	simCallback(the, &object, &function, 1, &arg);
}

void simTCPTrigger(simTCP* tcp, uint8_t bits)
{
	tcp->triggered |= bits;
	if (!tcp->trigger.scheduled)
		simTimerSchedule(&tcp->trigger, 0);
}

size_t simTCPWritable(simTCP* tcp)
{
	size_t room, used = tcp->handed + tcp->heldLength;
	if (!tcp->net)
		return 0;
	room = simNet()->tcpSndbuf(tcp->net);
	return used < room ? room - used : 0;
}

/* Offer `length` bytes to the network; what it hands on at once counts against the writable count until the
 * next turn (on a board: until the peer acknowledges it). Returns the bytes taken. */
static size_t simTCPOffer(simTCP* tcp, const void* data, size_t length)
{
	const simNetFunctions* net = simNet();
	size_t before = net->tcpQueued(tcp->net), taken, queued;
	taken = net->tcpWrite(tcp->net, data, length);
	queued = net->tcpQueued(tcp->net);
	queued = queued > before ? queued - before : 0;
	if (taken > queued) {
		tcp->handed += taken - queued;
		simTCPTrigger(tcp, kTCPWritable);
	}
	return taken;
}

int simTCPSend(simTCP* tcp, const void* data, size_t length)
{
	size_t taken = 0;
	if (!tcp->heldLength)
		taken = simTCPOffer(tcp, data, length);
	if (taken == 0 && length && simNet()->moddableClasses)
		return 1;                  /* Moddable's lwIP class: tcp_write refused them all; the caller keeps them */
	if (taken < length) {
		/* a short write: held, and offered again when the network takes more (writable upcall) */
		if (!tcp->held) {
			tcp->held = malloc(SIM_TCP_SEND_BUFFER);
			if (!tcp->held)
				return -1;
		}
		length -= taken;
		if (tcp->heldLength + length > SIM_TCP_SEND_BUFFER)
			return -1;
		memcpy(tcp->held + tcp->heldLength, (const uint8_t*)data + taken, length);
		tcp->heldLength += length;
	}
	return 0;
}

/* Offer the held bytes again; after close(), close the connection once they are all taken. */
static void simTCPOfferHeld(simTCP* tcp)
{
	size_t taken;
	if (tcp->heldLength && tcp->net) {
		taken = simTCPOffer(tcp, tcp->held, tcp->heldLength);
		memmove(tcp->held, tcp->held + taken, tcp->heldLength - taken);
		tcp->heldLength -= taken;
	}
	if (simTCPHas(tcp, kTCPLingering) && !tcp->heldLength) {
		simTCPClear(tcp, kTCPLingering);
		if (tcp->net) {
			simNet()->tcpClose(tcp->net, 1);
			tcp->net = NULL;
		}
	}
}

void simTCPConsumed(simTCP* tcp, size_t count)
{
	if (tcp->net && count)
		simNet()->tcpRecved(tcp->net, count);
}

void simTCPAddresses(simTCP* tcp)
{
	uint32_t address;
	uint16_t port;
	if (!tcp->net)
		return;
	if (simNet()->tcpAddress(tcp->net, 0, &address, &port) == 0) {
		simFormatIPv4(address, tcp->localAddress);
		tcp->localPort = port;
	}
	if (simNet()->tcpAddress(tcp->net, 1, &address, &port) == 0) {
		simFormatIPv4(address, tcp->remoteAddress);
		tcp->remotePort = port;
	}
}

/* The connection is over: report it once, from the loop (never from inside read() or write()). A failed
 * connection is closed at once; after the peer's normal close (FIN, `error` 0) it is kept: as lwIP keeps
 * sending the segments tcp_write() took after the peer's FIN, queued output is still flushed, while write()
 * refuses more ("not ready"). */
void simTCPFail(simTCP* tcp, int error)
{
	if (tcp->state >= kTCPEnded)
		return;
	tcp->state = kTCPEnded;
	tcp->error = error;
	if (error != SIM_ERR_OK)
		simTCPRelease(tcp);
	simTCPTrigger(tcp, kTCPError);
}

/* Deliver onError: the instance no longer keeps the process alive. Output still queued after the peer's
 * normal close keeps the connection until close() (then FIN after it, as lwIP's tcp_close() does). */
static void simTCPFinish(simTCP* tcp)
{
	tcp->state = kTCPFinished;
	if (simTracing())
		fprintf(stderr, "[tcp :%d] onError(%d)\n", tcp->localPort, tcp->error);
	if (!(tcp->error == SIM_ERR_OK && tcp->net && (tcp->heldLength || simNet()->tcpQueued(tcp->net))))
		simTCPRelease(tcp);
	simTCPForget(tcp);
	if (simTCPHas(tcp, kTCPHasError)) {
		if (simNet()->moddableClasses) {
			/* Moddable's lwIP class: onError() without a code, for a FIN, a reset and a refusal alike */
			xsMachine* the = tcp->the;
			xsSlot object = tcp->object, function = tcp->onError;
			simCallback(the, &object, &function, 0, NULL);
		}
		else
			simTCPCall(tcp, &tcp->onError, (size_t)(intptr_t)tcp->error);
	}
}

/* The trigger timer: what lwIP's tcpDeliver does on the next turn. */
void simTCPDeliver(simTimer* timer)
{
	simTCP* tcp = timer->data;
	uint8_t bits = tcp->triggered;
	tcp->triggered = 0;
	tcp->busy++;
	if (bits & kTCPWritable)
		tcp->handed = 0;
	if ((bits & kTCPReadable) && simTCPHas(tcp, kTCPAttached) && simTCPHas(tcp, kTCPHasReadable) && tcp->pendingLength
		&& tcp->state != kTCPFinished)
		simTCPCall(tcp, &tcp->onReadable, tcp->pendingLength);
	if (simTCPHas(tcp, kTCPAttached) && tcp->state != kTCPFinished) {
		if (tcp->state == kTCPEnded) {
			/* a normal close is reported once the app has read everything */
			if (!(tcp->error == SIM_ERR_OK && tcp->pendingLength))
				simTCPFinish(tcp);
		}
		else if ((bits & kTCPWritable) && tcp->state == kTCPConnected && simTCPHas(tcp, kTCPHasWritable)
			&& simTCPWritable(tcp))
			simTCPCall(tcp, &tcp->onWritable, simTCPWritable(tcp));
	}
	simTCPLeave(tcp);
}

static void simTCPCallWritable(simTCP* tcp)
{
	size_t writable = simTCPWritable(tcp);
	if (simTCPHas(tcp, kTCPHasWritable) && simTCPHas(tcp, kTCPAttached) && tcp->state == kTCPConnected && writable)
		simTCPCall(tcp, &tcp->onWritable, writable);
}

/* ---- upcalls ---- */

static void simTCPConnected(void* owner)
{
	simTCP* tcp = owner;
	tcp->busy++;
	if (tcp->state == kTCPConnecting) {
		tcp->state = kTCPConnected;
		simTCPAddresses(tcp);
		if (simTracing())
			fprintf(stderr, "[tcp :%d] connected %s:%d\n", tcp->localPort, tcp->remoteAddress, tcp->remotePort);
		simTCPCallWritable(tcp);
	}
	simTCPLeave(tcp);
}

/* Received bytes: with nothing unread, `pending` points into the buffer during onReadable (the app usually
 * reads it all there: no copy); bytes the app leaves unread are copied, and later arrivals are appended to
 * them, as lwIP chains pbufs: onReadable(bytes) always tells the total. NULL: the peer's FIN. */
static void simTCPReceived(void* owner, simNetBuf* buf)
{
	simTCP* tcp = owner;
	tcp->busy++;
	if (!buf)
		simTCPFail(tcp, SIM_ERR_OK);
	else if (!simTCPHas(tcp, kTCPAttached) || tcp->state != kTCPConnected) {
		/* closed, with held bytes still offered: what the peer sends is discarded */
		simTCPConsumed(tcp, buf->length);
		simNetBufFree(buf);
	}
	else if (tcp->pendingLength) {
		/* bytes left unread: append (moved to the start of their own buffer first) */
		size_t keep = tcp->pendingLength, n = buf->length;
		uint8_t* owned;
		if (simTracing())
			fprintf(stderr, "[tcp :%d] onReadable(%lu)\n", tcp->localPort, (unsigned long)n);
		memmove(tcp->pendingOwned, tcp->pending, keep);
		owned = realloc(tcp->pendingOwned, keep + n);
		if (!owned) {
			simNetBufFree(buf);
			simTCPFail(tcp, SIM_ERR_MEM);
		}
		else {
			memcpy(owned + keep, buf->data, n);
			simNetBufFree(buf);
			tcp->pendingOwned = tcp->pending = owned;
			tcp->pendingLength = keep + n;
			if (simTCPHas(tcp, kTCPHasReadable))
				simTCPCall(tcp, &tcp->onReadable, tcp->pendingLength);
		}
	}
	else {
		if (simTracing())
			fprintf(stderr, "[tcp :%d] onReadable(%lu)\n", tcp->localPort, (unsigned long)buf->length);
		tcp->pending = buf->data;
		tcp->pendingLength = buf->length;
		if (simTCPHas(tcp, kTCPHasReadable)) {
			simTCPSet(tcp, kTCPReading);
			simTCPCall(tcp, &tcp->onReadable, buf->length);
			simTCPClear(tcp, kTCPReading);
		}
		if (tcp->pendingLength && simTCPHas(tcp, kTCPAttached)) {
			/* The app left bytes unread (no callback, or hold): keep them. */
			tcp->pendingOwned = malloc(tcp->pendingLength);
			if (!tcp->pendingOwned) {
				tcp->pending = NULL;
				tcp->pendingLength = 0;
				simTCPFail(tcp, SIM_ERR_MEM);
			}
			else {
				memcpy(tcp->pendingOwned, tcp->pending, tcp->pendingLength);
				tcp->pending = tcp->pendingOwned;
			}
		}
		else {
			tcp->pending = NULL;
			tcp->pendingLength = 0;
		}
		simNetBufFree(buf);
	}
	simTCPLeave(tcp);
}

static void simTCPWritableUpcall(void* owner, size_t count)
{
	simTCP* tcp = owner;
	tcp->busy++;
	simTCPOfferHeld(tcp);
	if (!tcp->heldLength)
		simTCPCallWritable(tcp);
	simTCPLeave(tcp);
}

static void simTCPFailed(void* owner, int error)
{
	simTCP* tcp = owner;
	tcp->busy++;
	if (simTCPHas(tcp, kTCPLingering) || tcp->state >= kTCPEnded)
		simTCPRelease(tcp);        /* closed or ended already: what is still held or queued is lost */
	else
		simTCPFail(tcp, error);
	simTCPLeave(tcp);
}

const simNetTCPUpcalls gSimTCPUpcalls = { simTCPConnected, simTCPReceived, simTCPWritableUpcall, simTCPFailed };
