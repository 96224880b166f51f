// The end of a TCP connection by itself (core/tcp.ts TcpConnection): the host's onError, an inactivity limit, a
// failed lookup or handshake. The events still due go out first, then tcpClosed with an lwIP error number.
// Functions over the connection's own fields, as core/sendqueue.ts.
import type { TcpConnection, HostTCP } from "xsnet/core/tcp";
import { flushSent } from "xsnet/core/sendqueue";
import { pullChunk } from "xsnet/core/pull";
import { CONNECTING, CONNECTED, CLOSING, CLOSED } from "xsnet/core/states";
import { ERR_OK, ERR_RST, ERR_CLSD } from "xsnet/core/errors";
import { post, reportError } from "xsnet/core/tasks";

/** Host: onError(code) of `c`'s host socket (core/tcphost.ts). */
export function failed(c: TcpConnection, code?: number): void {
	// Moddable's devices call onError() with no code for FIN, reset and refusal alike: while connecting it can
	// only be a failure (reset/refused), once connected the common case is the peer's normal close.
	const error = (code === undefined || code === null) ? (c.state === CONNECTING ? ERR_RST : ERR_OK) : code;
	if (c.state === CLOSING) {
		c.release();
		return;
	}
	if (c.doneCount) {
		// the stack took those bytes before the end: their tcpSent now, the end on a later turn, as when the peer's
		// ACK came before its FIN (the application's reaction to "sent" runs before it hears of the end); the end
		// goes to whichever connection holds the host socket then (finishLater)
		const socket = c.socket;
		flushSent(c);
		post(finishLater, socket, error);
		return;
	}
	finish(c, error);
}

/**
 * Posted by failed(): the end that followed due tcpSent events, for the connection that holds the host socket now
 * (none when the application closed it meanwhile; a plain one after TcpConnection.handOff()).
 */
function finishLater(socket: HostTCP, error: number): void {
	const c = socket.xsnetConnection;
	if (!c) return;
	if (c.state === CLOSING) c.release();        // close() meanwhile: the host socket goes now
	else if (c.state !== CLOSED) finish(c, error);
}

/**
 * The connection ended by itself: deliver the tcpSent events still due (their bytes did reach the stack), the
 * decoder's tail, then tcpClosed(error). Bytes still in our queue (not taken by the host socket) are dropped with
 * their tcpSent: a peer's normal close (FIN, ERR_OK) is then reported as ERR_CLSD, since the host refuses write()
 * after the FIN (Moddable's lwIP TCP: "not ready"); what the host took is still delivered before our FIN (lwIP's
 * tcp_close()). See docs/nodemcu-net.md, "Half-close". Every event here may close the connection (and connect the
 * same object again): then nothing more of this connection is done.
 */
export function finish(c: TcpConnection, error: number): void {
	if (error === ERR_OK && c.head) error = ERR_CLSD;
	const state = c.state, socket = c.socket;
	if (c.doneCount) flushSent(c);
	if (c.pulled !== undefined && c.state === state) {
		// what the host still holds was received before the end: keep it readable (the host socket goes now)
		while (pullChunk(c))
			;
	}
	if (state === CONNECTED && c.state === state && c.decoder) {
		const tail = c.decoder.end();
		if (tail !== "") {
			try {
				c.tcpReceived(c, tail);
			}
			catch (e) {
				reportError(e);
			}
		}
	}
	if (c.state !== state) {
		// closed in a callback (the object may even be connected again): the host socket goes, wherever it is
		socket?.xsnetConnection?.release();
		return;
	}
	c.release();
	c.tcpClosed(c, error);
}
