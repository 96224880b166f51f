// A UDP endpoint over ECMA-419 embedded:io/socket/udp: binding, sending with per-send completion events,
// receive decoding. No API personality here: events go to a UdpOwner.
// Two receive modes, as TcpConnection's: push (udpReceived for every datagram; nodemcu/net) and pull (pullMode():
// datagrams wait in the host socket until take() removes them, udpReadable announces arrivals; luatos/socket).
import UDP from "embedded:io/socket/udp";
import { decodeUtf8 } from "xsnet/core/utf8";
import { post } from "xsnet/core/tasks";
import type { ReceiveFormat } from "xsnet/core/tcp";
import { socketLocal } from "xsnet/core/netif";

/** A received datagram: its bytes, with the sender's address and port. */
export type Packet = ArrayBuffer & { address: string; port: number };

interface HostUDP {
	read(): Packet | undefined;
	write(data: ArrayBuffer | ArrayBufferView, address: string, port: number): void;
	close(): void;
	xsnetEndpoint?: UdpEndpoint;
}
type HostUDPConstructor = new (options: object) => HostUDP;
const HostUDPClass = UDP as unknown as HostUDPConstructor;

/** Receiver of an endpoint's events. None is called after close(). */
export interface UdpOwner {
	/** A datagram arrived from `address`:`port`, decoded per `format` (empty datagrams are not reported). */
	udpReceived(endpoint: UdpEndpoint, data: string | ArrayBuffer, port: number, address: string): void;
	/** The datagram of one send() was handed to the host (posted, never during send()). */
	udpSent(endpoint: UdpEndpoint, token: unknown): void;
	/** Pull mode only: datagrams arrived while `signalled` was false (it is true now); take() clears it. */
	udpReadable?(endpoint: UdpEndpoint): void;
}

function onReadable(this: HostUDP, count: number): void {
	this.xsnetEndpoint?.readable(count);
}

function sent(endpoint: UdpEndpoint, token: unknown): void {
	endpoint.sentDone(token);
}

export class UdpEndpoint {
	owner: UdpOwner | null;
	// `declare`d fields exist only once assigned (see TcpConnection).
	declare private fmt: ReceiveFormat | undefined;   // undefined = "string"
	declare private socket: HostUDP | undefined;
	declare private boundAddress: string | undefined;
	declare private boundPort: number | undefined;
	declare private sentDue: number | undefined;      // posted udpSent jobs of the current binding
	declare private sentStale: number | undefined;    // posted udpSent jobs of earlier bindings: skipped
	declare private pull: boolean | undefined;
	declare private head: Packet | undefined;         // pull mode: the next datagram, read from the host by peek()
	/** Pull mode: datagrams arrived since the last take() (see UdpOwner.udpReadable). */
	declare signalled: boolean | undefined;

	constructor(owner: UdpOwner) {
		this.owner = owner;
	}

	/** Receive format: "string" (UTF-8 text, default) or "buffer" (ArrayBuffer). */
	get format(): ReceiveFormat {
		return this.fmt ?? "string";
	}
	set format(value: ReceiveFormat) {
		this.fmt = value;
	}

	/** True once bound (by open() or by the first send()). */
	/** The bound host socket (for xsnet/native's per-socket options such as ttl), else undefined. */
	get hostSocket(): object | undefined {
		return this.socket;
	}

	get isOpen(): boolean {
		return this.socket !== undefined;
	}

	/**
	 * Bind to `address` ("0.0.0.0" = any) and `port` (0 = any free port).
	 * @throws the host's error (port in use, address not local, ...).
	 */
	open(port: number, address: string): void {
		const options: Record<string, unknown> = { onReadable, format: "buffer" };
		if (port) options.port = port;
		if (address !== "0.0.0.0") options.address = address;
		const socket = new HostUDPClass(options);
		socket.xsnetEndpoint = this;
		this.socket = socket;
		this.boundAddress = address;
		this.boundPort = port;
	}

	/**
	 * Send one datagram (binds to any address/port first if needed). owner.udpSent(token) is posted.
	 * @throws the host's error (datagram too large, address invalid, ...).
	 */
	send(bytes: Uint8Array, address: string, port: number, token: unknown): void {
		if (!this.socket) this.open(0, "0.0.0.0");
		this.socket!.write(bytes, address, port);
		this.sentDue = (this.sentDue ?? 0) + 1;
		post(sent, this, token);
	}

	/** Posted by send() (jobs run in FIFO order, so the stale ones come first). */
	sentDone(token: unknown): void {
		if (this.sentStale) {
			this.sentStale--;
			return;
		}
		this.sentDue!--;
		if (this.socket && this.owner) this.owner.udpSent(this, token);
	}

	/**
	 * Switch to pull mode: datagrams stay in the host socket (its queue is the bound, as lwIP's recvmbox) until
	 * take(); owner.udpReadable announces arrivals; udpReceived is not called.
	 */
	pullMode(): void {
		this.pull = true;
	}

	/** Pull mode: the next non-empty datagram without removing it, undefined when none waits. */
	peek(): Packet | undefined {
		while (!this.head) {
			const socket = this.socket;
			if (!socket) return undefined;
			const packet = socket.read();
			if (!packet) return undefined;
			if (packet.byteLength) this.head = packet;
		}
		return this.head;
	}

	/** Pull mode: remove and return the next datagram (undefined when none); clears `signalled`. */
	take(): Packet | undefined {
		const packet = this.peek();
		this.head = undefined;
		this.signalled = false;
		return packet;
	}

	/** Host: onReadable(count) = datagrams waiting. */
	readable(count: number): void {
		if (this.pull) {
			if (!this.signalled && count > 0) {
				this.signalled = true;
				this.owner?.udpReadable?.(this);
			}
			return;
		}
		while (count-- > 0) {
			const socket = this.socket;
			if (!socket) return;
			const packet = socket.read();
			if (!packet) return;
			const owner = this.owner;
			if (!owner || !packet.byteLength) continue;
			const port = packet.port, address = packet.address;
			if (this.fmt === "buffer") owner.udpReceived(this, packet, port, address);
			else owner.udpReceived(this, decodeUtf8(new Uint8Array(packet), true), port, address);
		}
	}

	/**
	 * Bound local port and address, [undefined, undefined] when not bound. The port is the host socket's (lwIP's
	 * pcb->local_port on a board: the one chosen for port 0 too); the address is the one open() asked for when the
	 * socket is bound to every interface, as Moddable's lwIP UDP sockets always are (as the listener's getaddr()).
	 */
	local(): [number | undefined, string | undefined] {
		const socket = this.socket;
		if (!socket) return [undefined, undefined];
		const [port, address] = socketLocal(socket, true);
		return [port || this.boundPort || undefined,
			address && address !== "0.0.0.0" ? address : this.boundAddress || "0.0.0.0"];
	}

	/** Unbind; nothing is delivered afterwards. The endpoint can be opened again. */
	close(): void {
		const socket = this.socket;
		this.socket = undefined;
		this.head = undefined;
		this.signalled = false;
		if (this.sentDue) {
			this.sentStale = (this.sentStale ?? 0) + this.sentDue;
			this.sentDue = 0;
		}
		if (socket) {
			socket.xsnetEndpoint = undefined;
			try {
				socket.close();
			}
			catch {
				// already closed
			}
		}
	}
}
