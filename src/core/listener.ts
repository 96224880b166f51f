// A TCP listening endpoint over ECMA-419 embedded:io/socket/listener. Each accepted socket becomes a
// TcpConnection (CONNECTED) handed to the ListenerOwner: one the owner made (newConnection(): a subclass that
// handles its own events), or a plain one whose owner it must set at once.
import Listener from "embedded:io/socket/listener";
import { TcpConnection } from "xsnet/core/tcp";
import { reportError } from "xsnet/core/tasks";

interface HostListener {
	read(): unknown;
	close(): void;
	readonly port: number;
	readonly address?: string;
	xsnetListener?: TcpListener;
}
type HostListenerConstructor = new (options: object) => HostListener;
const HostListenerClass = Listener as unknown as HostListenerConstructor;

/** Receiver of accepted connections. */
export interface ListenerOwner {
	/**
	 * Optional: a new connection object (IDLE) for the next accepted socket, e.g. a personality's socket class that
	 * extends TcpConnection. Without it, accepted connections are plain TcpConnections with no owner yet.
	 */
	newConnection?(listener: TcpListener): TcpConnection;
	/**
	 * A connection was accepted. A plain one (not from newConnection()) must get its `owner` before this returns,
	 * else it is closed.
	 */
	tcpAccepted(listener: TcpListener, connection: TcpConnection): void;
}

function onReadable(this: HostListener, count: number): void {
	this.xsnetListener?.readable(count);
}

export class TcpListener {
	owner: ListenerOwner;
	/** Address bound to ("0.0.0.0" = every interface). */
	address = "0.0.0.0";
	/** Inactivity limit of accepted connections, in ms (0 = none): see TcpConnection.accept(). */
	idleMs = 0;
	private socket: HostListener | undefined;

	constructor(owner: ListenerOwner) {
		this.owner = owner;
	}

	/** True while listening. */
	get listening(): boolean {
		return this.socket !== undefined;
	}

	/** Bound local port, undefined when not listening. */
	get port(): number | undefined {
		return this.socket?.port;
	}

	/**
	 * Start listening on `address` ("a.b.c.d", "0.0.0.0" = any) and `port` (0 = any free port).
	 * @throws the host's error when the port cannot be bound (in use, address not local, ...).
	 */
	listen(port: number, address: string): void {
		const options: Record<string, unknown> = { port, onReadable };
		if (address !== "0.0.0.0") options.address = address;
		const socket = new HostListenerClass(options);
		socket.xsnetListener = this;
		this.socket = socket;
		this.address = address;
	}

	/** Host: onReadable(count) = connections waiting to be accepted. */
	readable(count: number): void {
		while (count-- > 0) {
			const socket = this.socket;
			if (!socket) return;
			const native = socket.read();
			if (!native) return;
			const owner = this.owner;
			const made = owner.newConnection?.(this);
			const connection = made ?? new TcpConnection(null);
			try {
				connection.accept(native, this.idleMs);
			}
			catch (e) {
				reportError(e);
				try {
					(native as { close?(): void }).close?.();   // do not leak the accepted socket
				}
				catch {
					// already gone
				}
				continue;
			}
			owner.tcpAccepted(this, connection);
			if (!made && !connection.owner) connection.close();
		}
	}

	/** Stop listening; accepted connections are not affected. */
	close(): void {
		const socket = this.socket;
		this.socket = undefined;
		if (socket) {
			socket.xsnetListener = undefined;
			try {
				socket.close();
			}
			catch {
				// already closed
			}
		}
	}
}
