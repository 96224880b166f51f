/* xsnet simulator: ECMA-419 `embedded:io/socket/tcp` over the network seam, behaving as Moddable's lwIP class
 * (modules/io/socket/lwip/tcp.c) does on a board.
 *
 * Events: onWritable(bytes) first when connected, then whenever the writable count grew again;
 * onReadable(bytes) when bytes arrived; onError(code) once, with an lwIP 2.x err_t (0: the peer closed
 * normally, after every received byte was read; -14 ERR_RST: reset or refused; -13 ERR_ABRT: timeout;
 * -4 ERR_RTE: unreachable). ECMA-419 leaves the error type to "future work"; devices call onError()
 * with no argument.
 * The writable count is lwIP's tcp_sndbuf(): write() takes bytes from it and returns what is left, and
 * within one turn of the app it only shrinks; bytes the network took at once count against it until the loop
 * comes back (on a board: until the peer acknowledges them), then onWritable(bytes) reports it again. Bytes
 * the backend did not take (a short write) are held and offered again when it takes more.
 * Received bytes are read from the backend's buffer inside onReadable; what the app leaves unread is kept per
 * socket, and the backend is told what the app consumed (lwIP's tcp_recved), so a socket on hold closes the
 * window and TCP flow control reaches the peer.
 * Without callbacks the socket still connects, receives (read() polls) and writes.
 * Every method and getter checks its instance (xsGetHostDataValidate, as Moddable's): a closed instance has
 * no host data and throws SyntaxError, as one of another class does. The loop's side is in tcp-events.c.
 */
#include "tcp.h"
#include <stdio.h>
#include <unistd.h>

void xs_tcp_destructor(void* data);
static void simTCPMark(txMachine* the, void* data, txMarkRoot markRoot)
{
	simTCP* tcp = data;
	(*markRoot)(the, (txSlot*)&tcp->onReadable);
	(*markRoot)(the, (txSlot*)&tcp->onWritable);
	(*markRoot)(the, (txSlot*)&tcp->onError);
}
static const xsHostHooks gTCPHooks = { xs_tcp_destructor, simTCPMark, NULL };

/* Detach the record from its instance: afterwards the instance throws SyntaxError (closed). */
static void simTCPDetach(xsMachine* the, simTCP* tcp, xsSlot* instance)
{
	xsSetHostData(*instance, NULL);
	xsSetHostDestructor(*instance, NULL);
	simTCPClear(tcp, kTCPAttached);
	simTCPForget(tcp);
	simTimerCancel(&tcp->trigger);
	tcp->triggered = 0;
}

void xs_tcp_destructor(void* data)
{
	simTCP* tcp = data;
	if (!tcp)
		return;
	simTCPClear(tcp, kTCPAttached);
	simTCPRelease(tcp);
	if (!tcp->busy)
		simTCPFree(tcp);
}

/* `this` as an open TCP instance; SyntaxError when closed or of another class (as Moddable's). */
static simTCP* simTCPGet(xsMachine* the)
{
	return xsGetHostDataValidate(xsThis, (void*)&gTCPHooks);
}

/* A record for xsThis, attached to it, with no connection yet. */
static simTCP* simTCPNew(xsMachine* the)
{
	simTCP* tcp = calloc(1, sizeof(simTCP));
	if (!tcp)
		xsUnknownError("out of memory");
	tcp->the = the;
	tcp->trigger.callback = simTCPDeliver;
	tcp->trigger.data = tcp;
	tcp->onReadable = xsUndefined;
	tcp->onWritable = xsUndefined;
	tcp->onError = xsUndefined;
	tcp->object = xsThis;
	tcp->flags = kTCPAttached;
	xsSetHostData(xsThis, tcp);
	xsSetHostHooks(xsThis, &gTCPHooks);
	return tcp;
}

/* ECMA-419 `from`: the instance to take over, validated before anything is created. SyntaxError when it
 * is no open TCP instance (closed, another class, no object); Error("invalid from") when it has no
 * connection (never connected, or failed). */
static simTCP* simTCPFrom(xsMachine* the, xsSlot* from)
{
	simTCP* other = xsGetHostDataValidate(*from, (void*)&gTCPHooks);
	if (!other->net || other->state == kTCPFinished || (other->state == kTCPEnded && other->error != SIM_ERR_OK))
		xsUnknownError("invalid from");
	return other;
}

/* Move the connection of `other` (its connection, unread input, held output, state) into `tcp`; `other`
 * is closed by the transfer. */
static void simTCPTakeOver(xsMachine* the, simTCP* tcp, simTCP* other, xsSlot* from)
{
	tcp->net = other->net;
	other->net = NULL;
	simNet()->tcpAdopt(tcp->net, &gSimTCPUpcalls, tcp);
	tcp->state = other->state;
	tcp->error = other->error;
	tcp->handed = other->handed;
	tcp->held = other->held;
	tcp->heldLength = other->heldLength;
	other->held = NULL;
	other->heldLength = 0;
	if (other->pendingLength) {
		/* copied: inside the other's onReadable they are still in the backend's buffer */
		tcp->pendingOwned = malloc(other->pendingLength);
		if (tcp->pendingOwned) {
			memcpy(tcp->pendingOwned, other->pending, other->pendingLength);
			tcp->pending = tcp->pendingOwned;
			tcp->pendingLength = other->pendingLength;
		}
	}
	if (other->pendingOwned)
		free(other->pendingOwned);
	other->pendingOwned = other->pending = NULL;
	other->pendingLength = 0;
	memcpy(tcp->remoteAddress, other->remoteAddress, sizeof(tcp->remoteAddress));
	memcpy(tcp->localAddress, other->localAddress, sizeof(tcp->localAddress));
	tcp->remotePort = other->remotePort;
	tcp->localPort = other->localPort;
	simTCPDetach(the, other, from);
	if (!other->busy)
		simTCPFree(other);
}

/* new TCP({address, port, onReadable, onWritable, onError, format, noDelay, keepAlive, target}),
 * new TCP({from, ...}), or new TCP() (an empty instance that Listener.read() fills).
 * Errors as Moddable's lwIP TCP: a format other than "buffer" or "number" RangeError; a callback that is no
 * function Error("not a function"); a missing or unparsable address Error("invalid address"); a missing or
 * undefined port Error("invalid"), a symbol TypeError, out of 0..65535 RangeError; `from` no open TCP
 * instance SyntaxError. A refused or failed connection is reported by onError. */
void xs_tcp_constructor(xsMachine* the)
{
	simTCP* tcp;
	simTCP* other = NULL;
	int number = 0, port = 0, error = 0;
	uint32_t address = 0;
	xsVars(4);
	if (xsToInteger(xsArgc) < 1) {
		simTCPNew(the);
		return;
	}
	if (xsTypeOf(xsArg(0)) != xsReferenceType)
		xsTypeError("options required");
	if (simOptionPresent(the, &xsArg(0), "format", &xsVar(0)) && xsTest(xsVar(0))) {
		char* format = xsToString(xsVar(0));
		if (!strcmp(format, "number")) number = 1;
		else if (strcmp(format, "buffer")) xsRangeError("unimplemented");
	}
	simGetCallback(the, &xsArg(0), "onReadable", &xsVar(1));
	simGetCallback(the, &xsArg(0), "onWritable", &xsVar(1));
	simGetCallback(the, &xsArg(0), "onError", &xsVar(1));
	if (simOptionPresent(the, &xsArg(0), "from", &xsVar(0)))
		other = simTCPFrom(the, &xsVar(0));
	else {
		xsVar(1) = xsGet(xsArg(0), xsID("address"));
		if (!simToIPv4(the, &xsVar(1), &address))
			xsUnknownError("invalid address");
		xsVar(1) = xsGet(xsArg(0), xsID("port"));
		port = simGetSignedInteger(the, &xsVar(1));
		if (port < 0 || port > 65535)
			xsRangeError("invalid port");
	}
	tcp = simTCPNew(the);
	if (number) simTCPSet(tcp, kTCPNumber);
	if (simGetCallback(the, &xsArg(0), "onReadable", &xsVar(1))) { tcp->onReadable = xsVar(1); simTCPSet(tcp, kTCPHasReadable); }
	if (simGetCallback(the, &xsArg(0), "onWritable", &xsVar(1))) { tcp->onWritable = xsVar(1); simTCPSet(tcp, kTCPHasWritable); }
	if (simGetCallback(the, &xsArg(0), "onError", &xsVar(1))) { tcp->onError = xsVar(1); simTCPSet(tcp, kTCPHasError); }
	if (simHasOption(the, &xsArg(0), "target", &xsVar(1)))
		xsDefine(xsThis, xsID("target"), xsVar(1), xsDefault);
	if (other)
		simTCPTakeOver(the, tcp, other, &xsVar(0));
	else {
		tcp->net = simNet()->tcpConnect(address, (uint16_t)port, &gSimTCPUpcalls, tcp, &error);
		if (!tcp->net)
			xsUnknownError("socket: %s", strerror(error));
		/* as lwIP's tcp_connect(): the remote end is known at once */
		simFormatIPv4(address, tcp->remoteAddress);
		tcp->remotePort = port;
		tcp->state = kTCPConnecting;
		simTCPAddresses(tcp);
	}
	if (simHasOption(the, &xsArg(0), "noDelay", &xsVar(1)) || simHasOption(the, &xsArg(0), "nodelay", &xsVar(1)))
		simNet()->tcpOption(tcp->net, kSimNetNoDelay, xsTest(xsVar(1)) ? 1 : 0);
	if (simHasOption(the, &xsArg(0), "keepAlive", &xsVar(1))) {
		/* ECMA-419: keep-alive interval in ms -> idle time and probe interval, whole seconds */
		int seconds = (xsToInteger(xsVar(1)) + 999) / 1000;
		if (seconds > 0)
			simNet()->tcpOption(tcp->net, kSimNetKeepAlive, seconds);
	}
	simTCPRemember(tcp);
	if (other) {
		/* as lwIP: what the new callbacks have to hear about comes on the next turn */
		uint8_t bits = 0;
		if (tcp->state == kTCPConnected && simTCPHas(tcp, kTCPHasWritable) && simTCPWritable(tcp)) bits |= kTCPWritable;
		if (tcp->pendingLength && simTCPHas(tcp, kTCPHasReadable)) bits |= kTCPReadable;
		if (tcp->handed) bits |= kTCPWritable;
		if (tcp->state == kTCPEnded) bits |= kTCPError;
		if (bits)
			simTCPTrigger(tcp, bits);
	}
}

void simTCPAdopt(xsMachine* the, xsSlot* slot, simNetTCP* connection)
{
	simTCP* tcp = xsGetHostDataValidate(*slot, (void*)&gTCPHooks);
	if (tcp->net || tcp->state != kTCPIdle)
		xsUnknownError("in use");
	tcp->net = connection;
	simNet()->tcpAdopt(connection, &gSimTCPUpcalls, tcp);
	tcp->state = kTCPConnected;
	simTCPAddresses(tcp);
	simTCPRemember(tcp);
}

/* read() -> ArrayBuffer of every byte available | undefined; read(byteLength) -> ArrayBuffer;
 * read(buffer) -> bytes copied into it (its whole length); "number" format: read() -> one byte.
 * As Moddable's: undefined when nothing is available (whatever the argument); asking for 0 bytes or for
 * more than are available throws Error("invalid"); a view of elements wider than a byte or no buffer throws
 * TypeError. */
void xs_tcp_read(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	size_t count;
	uint8_t byte = 0;
	if (!tcp->pendingLength)
		return;
	if (simTCPHas(tcp, kTCPNumber)) {
		byte = *tcp->pending;
		count = 1;
		xsResult = xsInteger(byte);
	}
	else {
		xsIntegerValue requested;
		void* data = NULL;
		if (xsToInteger(xsArgc) == 0)
			requested = (xsIntegerValue)tcp->pendingLength;
		else if (xsTypeOf(xsArg(0)) == xsReferenceType) {
			xsUnsignedValue length;
			_xsmcGetBuffer(the, &xsArg(0), &data, &length, 1);
			requested = (xsIntegerValue)length;
			xsResult = xsInteger(requested);
		}
		else
			requested = xsToInteger(xsArg(0));
		if (requested <= 0 || (size_t)requested > tcp->pendingLength)
			xsUnknownError("invalid");
		count = (size_t)requested;
		if (data)
			memcpy(data, tcp->pending, count);
		else
			xsResult = xsArrayBuffer(tcp->pending, (xsIntegerValue)count);
	}
	tcp->pending += count;
	tcp->pendingLength -= count;
	simTCPConsumed(tcp, count);                /* the window opens again, as lwIP's tcp_recved() */
	if (!tcp->pendingLength && !simTCPHas(tcp, kTCPReading)) {
		simTCPDropPending(tcp);
		if (tcp->state == kTCPEnded)
			simTCPTrigger(tcp, kTCPError);      /* the deferred normal close */
	}
}

/* write(buffer) or, in "number" format, write(byte) -> the writable count left.
 * As Moddable's: Error("not ready") before the connection is up or after it failed; TypeError for a value
 * that is no buffer (in "buffer" format) or no number (a symbol, in "number" format); Error when more than
 * the writable count is given. */
void xs_tcp_write(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	void* data;
	xsUnsignedValue length;
	uint8_t byte;
	size_t writable;
	int sent = 0;
	if (tcp->state != kTCPConnected)
		xsUnknownError("not ready");
	if (xsToInteger(xsArgc) < 1)
		xsTypeError(simTCPHas(tcp, kTCPNumber) ? "byte required" : "buffer required");
	if (simTCPHas(tcp, kTCPNumber)) {
		byte = (uint8_t)xsToInteger(xsArg(0));
		data = &byte;
		length = 1;
	}
	else
		xsmcGetBufferReadable(xsArg(0), &data, &length);
	writable = simTCPWritable(tcp);
	if (length > writable)
		xsUnknownError("would block: %u bytes, %u writable", (unsigned)length, (unsigned)writable);
	if (length && (sent = simTCPSend(tcp, data, length)) < 0)
		xsUnknownError("out of memory");
	if (sent > 0)
		return;                 /* Moddable's lwIP class: tcp_write refused the bytes; the caller keeps them */
	xsResult = xsInteger((xsIntegerValue)simTCPWritable(tcp));
}

/* close(): output already written is still delivered, then FIN (lwIP tcp_close), also after the peer's FIN
 * (a half-closed connection). No callback follows.
 * A second close() does nothing; `this` of another class throws SyntaxError. */
void xs_tcp_close(xsMachine* the)
{
	simTCP* tcp = xsGetHostData(xsThis);    /* SyntaxError: no host object, or a host chunk */
	if (!tcp)
		return;                                /* closed already */
	tcp = simTCPGet(the);                    /* SyntaxError: an instance of another class */
	simTCPDetach(the, tcp, &xsThis);
	if (!simTCPHas(tcp, kTCPReading))
		free(tcp->pendingOwned);
	tcp->pendingOwned = tcp->pending = NULL;
	tcp->pendingLength = 0;
	if (tcp->net) {
		int flush = tcp->state != kTCPEnded || tcp->error == SIM_ERR_OK;
		if (flush && tcp->heldLength)
			simTCPSet(tcp, kTCPLingering);  /* closed once the backend took the held bytes */
		else {
			simNet()->tcpClose(tcp->net, flush);
			tcp->net = NULL;
		}
	}
	if (!tcp->busy && !simTCPHas(tcp, kTCPLingering))
		simTCPFree(tcp);
}

void xs_tcp_get_format(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	xsResult = xsString(simTCPHas(tcp, kTCPNumber) ? "number" : "buffer");
}

/* As Moddable's: RangeError for an unknown format or one TCP does not implement; TypeError for a symbol. */
void xs_tcp_set_format(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	char* format = xsToString(xsArg(0));
	if (!strcmp(format, "number")) simTCPSet(tcp, kTCPNumber);
	else if (!strcmp(format, "buffer")) simTCPClear(tcp, kTCPNumber);
	else xsRangeError("unimplemented");
}

/* Moddable's lwIP TCP sets its pcb to NULL in lwIP's error callback (a reset, a refusal, an abort: not the peer's
 * FIN) and its remoteAddress/remotePort getters read the pcb without checking: the board crashes (LoadProhibited
 * on ESP32). The simulator stops there too, naming the cause, rather than answer what a board cannot. */
static void simTCPCheckPeerReadable(simTCP* tcp, const char* name)
{
	if (tcp->state >= kTCPEnded && tcp->error != SIM_ERR_OK) {
		fprintf(stderr, "xsnet-sim: %s read after the connection failed (%d): on a board Moddable's lwIP TCP "
			"dereferences its NULL pcb here and the device crashes\n", name, tcp->error);
		fflush(NULL);
		_exit(70);
	}
}

void xs_tcp_get_remoteAddress(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	simTCPCheckPeerReadable(tcp, "remoteAddress");
	if (tcp->remoteAddress[0]) xsResult = xsString(tcp->remoteAddress);
}

void xs_tcp_get_remotePort(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	simTCPCheckPeerReadable(tcp, "remotePort");
	if (tcp->remotePort) xsResult = xsInteger(tcp->remotePort);
}

void xs_tcp_get_localAddress(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	if (tcp->localAddress[0]) xsResult = xsString(tcp->localAddress);
}

void xs_tcp_get_localPort(xsMachine* the)
{
	simTCP* tcp = simTCPGet(the);
	if (tcp->localPort) xsResult = xsInteger(tcp->localPort);
}

simNetTCP* simTCPConnection(xsMachine* the, xsSlot* slot)
{
	simTCP* tcp = simHostDataIf(the, slot, &gTCPHooks);
	return (tcp && (tcp->state == kTCPConnecting || tcp->state == kTCPConnected)) ? tcp->net : NULL;
}
