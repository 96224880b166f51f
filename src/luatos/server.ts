// A listening ctrl's side: the core listener and the clients it accepted for the ctrl.
// Single-client form (listen without a backlog, LuatOS's 1:1 mode): the first client is carried by the listening
// ctrl itself (state 5, ON_LINE(0)), as LuatOS's lwIP adapter hands the accepted pcb to the server socket.
// Multi-client form (listen(ctrl, n > 0)): the ctrl stays in state 6 and each client posts ON_LINE(0).
// accept(ctrl, cb | taskName) moves one client to a new ctrl in either form (LuatOS needs n > 0 for that).
import { TcpListener } from "xsnet/core/listener";
import type { ListenerOwner } from "xsnet/core/listener";
import { CLOSED as TCP_CLOSED } from "xsnet/core/tcp";
import type { TcpConnection } from "xsnet/core/tcp";
import { pullMode } from "xsnet/core/pull";
import { LUATOS_ACCEPT_QUEUE_MAX } from "xsnet/core/limits";
import { SocketCtrl, ONLINE, LISTEN } from "luatos/ctrl";
import { EVENT } from "luatos/events";

export class Server implements ListenerOwner {
	readonly ctrl: SocketCtrl;
	/** listen()'s backlog: 0 = single-client form. */
	readonly backlog: number;
	private listener: TcpListener;
	/** Accepted clients not handed out yet (the carried one is ctrl.conn). */
	private waiting: TcpConnection[] = [];
	/** accept(ctrl, cb) was used: clients are handed out, not carried for good. */
	declare private handsOut: boolean | undefined;

	/**
	 * Listen on `port` (0 = any free port) on every interface.
	 * @throws the host's error (port in use, ...).
	 */
	constructor(ctrl: SocketCtrl, port: number, backlog: number) {
		this.ctrl = ctrl;
		this.backlog = backlog;
		const listener = new TcpListener(this);
		listener.listen(port, "0.0.0.0");
		this.listener = listener;
	}

	/** @internal core: a client connected. */
	tcpAccepted(_listener: TcpListener, conn: TcpConnection): void {
		pullMode(conn);
		conn.owner = this.ctrl;
		if (!this.backlog && !this.carried() && !this.waiting.length) {
			this.carry(conn, true);
			return;
		}
		if (this.waiting.length >= (this.backlog && this.backlog < LUATOS_ACCEPT_QUEUE_MAX ? this.backlog : LUATOS_ACCEPT_QUEUE_MAX)) {
			conn.close();                                  // LuatOS's adapter closes a client it has no room for
			return;
		}
		this.waiting.push(conn);
		if (this.backlog) this.ctrl.online(true);
	}

	/** The client the listening ctrl carries (single-client form), if it is still connected. */
	private carried(): TcpConnection | undefined {
		const conn = this.ctrl.conn;
		return conn && conn.state !== TCP_CLOSED && !this.ctrl.ended ? conn : undefined;
	}

	/**
	 * The listening ctrl takes `conn` as its own connection: state 5, ON_LINE(0) (then EVENT(0) for early bytes);
	 * `now`: from the event loop (else inside accept(): posted).
	 */
	private carry(conn: TcpConnection, now: boolean): void {
		const ctrl = this.ctrl;
		ctrl.conn = conn;
		ctrl.ended = false;
		ctrl.txDue = 0;
		ctrl.remoteAddress = conn.address;
		ctrl.remotePort = conn.port;
		ctrl.state = ONLINE;
		ctrl.online(now);
		if (conn.signalled) ctrl.emit(EVENT, 0, now);
	}

	/**
	 * True when the end of the carried client ends the listening too: the single-client form, unless the program
	 * hands clients out with accept(ctrl, cb).
	 */
	endsWithClient(): boolean {
		return !this.backlog && !this.handsOut;
	}

	/** A waiting client went away before accept(). */
	dropped(conn: TcpConnection): void {
		const i = this.waiting.indexOf(conn);
		if (i >= 0) this.waiting.splice(i, 1);
	}

	/** The peer of the client accept(ctrl) reports: the carried one, else the first waiting. */
	peer(): TcpConnection | undefined {
		return this.carried() ?? this.waiting[0];
	}

	/**
	 * Hand one client out (accept(ctrl, cb | taskName)): the carried one (the listening ctrl goes back to state 6 and
	 * carries the next waiting client, if any), else the first waiting. Undefined when there is none.
	 */
	take(): TcpConnection | undefined {
		this.handsOut = true;
		const conn = this.carried();
		if (!conn) return this.waiting.shift();
		const ctrl = this.ctrl;
		ctrl.conn = undefined;
		ctrl.remoteAddress = undefined;
		ctrl.remotePort = undefined;
		ctrl.state = LISTEN;
		ctrl.waitFor("online");
		const next = this.waiting.shift();
		if (next) this.carry(next, false);
		return conn;
	}

	/** Stop listening and close every client not handed out (the carried one is closed by its ctrl). */
	close(): void {
		this.listener.close();
		const waiting = this.waiting;
		this.waiting = [];
		for (let i = 0; i < waiting.length; i++) waiting[i].close();
	}
}
