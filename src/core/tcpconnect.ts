// Opening a TCP connection (core/tcp.ts TcpConnection.connectTo): the name lookup, the host socket (TCP, or the
// host's TLS socket with a time limit on its handshake), and the peer, asked of the host socket once.
// Functions over the connection's own fields, as core/sendqueue.ts: the connection keeps a slot only for what its
// current step needs (the lookup's while resolving, connectTo()'s port until the host socket knows the peer).
import TCP from "embedded:io/socket/tcp";
import type { TcpConnection } from "xsnet/core/tcp";
import { hostOptions, boundCallbacks } from "xsnet/core/tcphost";
import type { HostTCP, HostTCPConstructor } from "xsnet/core/tcphost";
import { lookup } from "xsnet/core/dns";
import type { LookupCallback } from "xsnet/core/dns";
import { RESOLVING, CONNECTING } from "xsnet/core/states";
import { ERR_OK, ERR_RTE, ERR_TLS_HANDSHAKE } from "xsnet/core/errors";
import { TLS_HANDSHAKE_MS } from "xsnet/core/limits";
import { packEndpoint } from "xsnet/core/ip";
import { finish } from "xsnet/core/tcpend";
import Timer from "timer";

const HostTCPClass = TCP as unknown as HostTCPConstructor;

/**
 * Start connecting `c` (IDLE or CLOSED) to `host` and `port`: what its previous connection left is reset, then
 * the name is looked up (see TcpConnection.connectTo).
 */
export function connectTcp(c: TcpConnection, host: string, port: number): void {
	if (c.peer !== undefined) delete c.peer;
	if (c.peerAddress !== undefined) delete c.peerAddress;
	if (c.idleMs) {
		// an accepted connection's inactivity limit is the server's, not this client's
		delete (c as { idleMs?: number }).idleMs;
		delete (c as { lastActive?: number }).lastActive;
	}
	if (c.signalled) c.signalled = false;
	c.peerPort = port;
	c.state = RESOLVING;
	// The callback of this attempt: an earlier connectTo()'s answer (an IP literal's is posted, not cancelled)
	// finds another one in `lookupDone` and is ignored.
	const done: LookupCallback = (error, address, addresses) => {
		if (c.lookupDone === done) resolved(c, error, address, addresses);
	};
	c.lookupDone = done;
	c.cancelLookup = lookup(host, done);
}

function resolved(c: TcpConnection, error: number, address: string | undefined, addresses?: readonly string[]): void {
	delete c.cancelLookup;
	delete c.lookupDone;
	if (c.state !== RESOLVING) return;
	c.tcpResolved(c, address, addresses);
	if (c.state !== RESOLVING || c.lookupDone) return;     // closed (and maybe connected again) in the callback
	if (error !== ERR_OK || address === undefined) {
		finish(c, error);
		return;
	}
	try {
		open(c, address);
	}
	catch {
		// the host refused to even start (no descriptor / pcb left, ...): the documented -4, nothing else
		finish(c, ERR_RTE);
	}
}

/** Make the host socket for `address` (TCP, or TLS when `c.tls` is set): CONNECTING. */
function open(c: TcpConnection, address: string): void {
	const options: Record<string, unknown> = { address, port: c.peerPort };
	if (c.keepAliveMs) options.keepAlive = c.keepAliveMs;
	const tls = c.tls;
	let socket: HostTCP | undefined;
	if (tls) {
		options.TCP = { io: TCP };
		options.host = tls.host;
		options.secure = tls.secure;
		// Moddable's TLSSocket calls the callbacks with `this` = its options object, not the socket
		socket = new (tls.io as HostTCPConstructor)({ ...hostOptions(options), ...boundCallbacks(() => socket) });
		c.handshakeTimer = Timer.set(() => {
			c.handshakeTimer = undefined;
			if (c.state === CONNECTING && c.socket === socket) finish(c, ERR_TLS_HANDSHAKE);
		}, TLS_HANDSHAKE_MS);
	}
	else socket = new HostTCPClass(hostOptions(options));
	socket.xsnetConnection = c;
	c.socket = socket;
	c.peerAddress = address;                     // until connected (capturePeer)
	c.state = CONNECTING;
}

/**
 * Ask the host socket for the peer, while it can still say (accepted or just connected, inside a host callback):
 * kept in one slot; connectTo()'s values are dropped then. Over TLS, or when the host cannot tell, they stay.
 * Never later: Moddable's lwIP TCP sets its pcb to NULL in lwIP's error callback, before onError reaches JS, and
 * its remoteAddress/remotePort getters dereference it (a board crash; the simulator stops there).
 */
export function capturePeer(c: TcpConnection): void {
	let peer: number | undefined;
	try {
		const s = c.socket!;
		peer = packEndpoint(s.remoteAddress, s.remotePort);
	}
	catch {
		// not supported by this host
	}
	if (peer === undefined) return;
	c.peer = peer;
	if (c.peerPort !== undefined) delete c.peerPort;
	if (c.peerAddress !== undefined) delete c.peerAddress;
}

/** Stop the TLS handshake's time limit (connected, or the connection is let go). */
export function stopHandshakeTimer(c: TcpConnection): void {
	Timer.clear(c.handshakeTimer as Timer);
	c.handshakeTimer = undefined;
}
