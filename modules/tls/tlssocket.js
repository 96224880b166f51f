// xsnet's `embedded:io/socket/tcp/tls` for boards: the Moddable SDK's TLS client (ssl/session from
// $(MODDABLE)/modules/crypt/tls_419.json: TLS 1.2, RSA/ECDHE-RSA suites, its own X.509 checks) over the board's
// ECMA-419 embedded:io/socket/tcp, with the contract of the simulator's module (hosts/sim/js/tls.js):
// - options: the TCP options plus TCP ({io: TCP class}), host (SNI and the certificate's name), secure
//   ({certificate: trusted CA in DER (an array: its first), verify, clientCertificates, clientKey (PKCS#8 DER),
//   serverName, trace}); the simulator-only minVersion / maxVersion are ignored (ssl/session speaks TLS 1.2);
// - onWritable(bytes) first once the handshake and the certificate check are done; onReadable(bytes) with the
//   plaintext available; onError(code) once: -28 (ERR_TLS_HANDSHAKE) when the handshake, the certificate check or
//   the session fails. The SDK's example TLSSocket (examples/io/tcp/tlssocket) lets ssl/session's exception
//   escape its TCP callback instead, which aborts the VM (xsBeginHost: unhandled exception); hence this module.
import Session from "ssl/session";
import Timer from "timer";

const TLS_HANDSHAKE_FAILED = -28;
const RECORD = 16384;      // ssl/session encrypts one record per write: at most 2^14 bytes of plaintext
const OVERHEAD = 96;       // bytes of the TCP writable count kept for a record's header, MAC and padding

class TLSSocket {
	#tcp;
	#session;
	#callbacks;
	#ready = false;
	#ended = false;
	#plain;                // Uint8Array of decrypted bytes not yet read, with #position
	#position = 0;
	#peerDone;             // the TCP's onError code once the peer ended (reported after the plaintext is read)
	#later;
	#connected = false;    // the TCP connection is up (its first onWritable)

	constructor(options) {
		const { TCP, host, secure = {}, onReadable, onWritable, onError, ...tcpOptions } = options;
		if (!TCP?.io) throw new TypeError("TCP.io required");
		this.#callbacks = { onReadable, onWritable, onError };
		const { minVersion, maxVersion, trace, certificate, ...sessionOptions } = secure;
		this.#session = new Session({
			serverName: host,
			...sessionOptions,
			certificate: Array.isArray(certificate) ? certificate[0] : certificate,
			trace: !!trace,
			protocolVersion: 0x0303,
		});
		this.#session.initiateHandshake();
		const tcp = new TCP.io({
			...tcpOptions,
			format: "buffer",
			onReadable: (count) => this.#onReadable(count),
			onWritable: (count) => this.#onWritable(count),
			onError: (code) => this.#onError(code),
		});
		tcp.readable = 0;       // ssl/session keeps its counts on the socket
		tcp.writable = 0;
		this.#tcp = tcp;
	}

	get remoteAddress() { return this.#tcp?.remoteAddress; }
	get remotePort() { return this.#tcp?.remotePort; }
	get format() { return "buffer"; }
	set format(value) {
		if (value !== "buffer") throw new RangeError("unimplemented");
	}

	/** read(byteLength) -> ArrayBuffer of exactly that many bytes; read(view) -> bytes copied; read() -> all. */
	read(count) {
		if (!this.#session && !this.#plain) throw new SyntaxError("closed");
		const plain = this.#plain;
		const available = plain ? plain.length - this.#position : 0;
		let want, target;
		if (count === undefined) want = available;
		else if (typeof count === "object") {
			target = ArrayBuffer.isView(count) ? new Uint8Array(count.buffer, count.byteOffset, count.byteLength) : new Uint8Array(count);
			want = Math.min(target.length, available);
		}
		else {
			want = count | 0;
			if (want < 0 || want > available) throw new RangeError("invalid");
		}
		if (!want) return target ? 0 : undefined;
		const bytes = plain.subarray(this.#position, this.#position + want);
		let result;
		if (target) {
			target.set(bytes);
			result = want;
		}
		else result = bytes.slice().buffer;
		this.#position += want;
		if (this.#position === plain.length) {
			this.#plain = undefined;
			this.#soon();
		}
		return result;
	}

	/** Encrypt and send `buffer` (at most the count onWritable or the last write() gave); returns the new count. */
	write(buffer) {
		if (!this.#session) throw new SyntaxError("closed");
		let bytes = ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
		try {
			while (bytes.length) {
				const n = Math.min(bytes.length, RECORD);
				this.#session.write(this.#tcp, n === bytes.length ? bytes : bytes.subarray(0, n));
				bytes = bytes.subarray(n);
			}
		}
		catch {
			this.#fail(TLS_HANDSHAKE_FAILED);
			return 0;
		}
		return this.#room();
	}

	/** close_notify, then the TCP socket's graceful close. */
	close() {
		if (!this.#tcp) return;
		try {
			if (this.#ready && !this.#ended) this.#session.close(this.#tcp);
		}
		catch {
			// the session failed already
		}
		this.#release();
	}

	#room() {
		const room = this.#tcp ? this.#tcp.writable - OVERHEAD : 0;
		return room <= 0 ? 0 : room > RECORD ? RECORD : room;
	}

	#onWritable(count) {
		const tcp = this.#tcp;
		if (!tcp || this.#ended) return;
		tcp.writable = count;
		this.#connected = true;
		if (!this.#ready) this.#handshake();
		else {
			const room = this.#room();
			if (room > 0) this.#callbacks.onWritable?.call(this, room);
		}
	}

	#onReadable(count) {
		const tcp = this.#tcp;
		if (!tcp || this.#ended) return;
		tcp.readable = count;
		if (!this.#ready) this.#handshake();
		if (this.#ready && !this.#plain) this.#receive();
	}

	#onError(code) {
		if (this.#ended) return;
		if (!this.#ready) {
			// before the TCP connection: the TCP's own failure (a board's onError has no code: the core reads it
			// as a reset/refusal); during the handshake: the peer gave up on it
			this.#fail(this.#connected ? (code || TLS_HANDSHAKE_FAILED) : code);
			return;
		}
		this.#peerDone = code ?? 0;
		if (!this.#plain) this.#fail(this.#peerDone);
	}

	/** Run ssl/session's handshake as far as the bytes received allow. */
	#handshake() {
		const session = this.#session, tcp = this.#tcp;
		try {
			for (;;) {
				if (session.handshake(tcp)) {
					if (session.alert) throw new Error("alert");
					this.#ready = true;
					break;
				}
				if (session.handshakeProcess === -1 && !tcp.readable) break;    // waiting for the peer
			}
		}
		catch {
			this.#fail(TLS_HANDSHAKE_FAILED);
			return;
		}
		if (this.#ready) {
			this.#callbacks.onWritable?.call(this, this.#room());
			if (!this.#ended && tcp.readable && !this.#plain) this.#receive();
		}
	}

	/** Decrypt the next application data record, if its bytes are there. */
	#receive() {
		let data;
		try {
			data = this.#session.read(this.#tcp);
		}
		catch {
			this.#fail(TLS_HANDSHAKE_FAILED);
			return;
		}
		if (data === null) {                   // close_notify
			this.#fail(0);
			return;
		}
		if (!data?.length) return;
		this.#plain = data;
		this.#position = 0;
		this.#callbacks.onReadable?.call(this, data.length);
	}

	/** After the plaintext was read: the next record (if bytes wait in the TCP socket), or the peer's end. */
	#soon() {
		if (this.#later || this.#ended) return;
		this.#later = Timer.set(() => {
			this.#later = undefined;
			if (this.#ended || this.#plain) return;
			if (this.#peerDone !== undefined) this.#fail(this.#peerDone);
			else if (this.#tcp?.readable) this.#receive();
		});
	}

	#fail(code) {
		if (this.#ended) return;
		this.#release();
		this.#callbacks.onError?.call(this, code);
	}

	#release() {
		this.#ended = true;
		if (this.#later) Timer.clear(this.#later);
		this.#later = undefined;
		const tcp = this.#tcp;
		this.#tcp = undefined;
		this.#session = undefined;
		try {
			tcp?.close();
		}
		catch {
			// gone
		}
	}
}

export default TLSSocket;
