// ECMA-419 `embedded:io/socket/tcp/tls` for the xsnet simulator, shaped as Moddable's TLSSocket
// (examples/io/tcp/tlssocket, which boards use over the SDK's ssl/session): TCP options plus
//   TCP: {io: TCPClass}  the transport (required, as Moddable's): here the simulator's embedded:io/socket/tcp;
//   host: the server's name: sent as SNI and checked against the certificate; an IPv4 literal is checked
//         against the certificate's IP subjectAltName and not sent;
//   secure: {certificate (DER ArrayBuffer, or an array of them: trusted CAs, the first only as on a board; none =
//            OpenSSL's default store), verify (default true), clientCertificates ([DER]), clientKey (DER PKCS#8),
//            serverName (overrides host for SNI and the check), minVersion / maxVersion ("TLSv1.2", "TLSv1.3":
//            TLS 1.2 only as on a board), trace (true or a level 1..2: OpenSSL's handshake states and alerts on
//            stderr)}.
// The boards' limits (TLS 1.2 only, one CA, a server's leaf sent alone refused) apply unless the environment has
// XSNET_TLS_BEYOND_BOARDS=1 (simulator only; hosts/sim/tls/tls.c says how each is refused).
// Events, as the TCP class: onWritable(bytes) first once the handshake and the certificate check are done;
// onReadable(bytes) with the plaintext available; onError(code) once: the TCP's code (lwIP err_t), or
// TLS_HANDSHAKE_FAILED (-28) when the handshake or the certificate check failed (Moddable's TLSSocket throws
// from its TCP callback there instead), or 0 after the peer's close_notify or FIN once every byte was read.
// The crypto is TLSSession (hosts/sim/tls/tls.c, OpenSSL's libssl on memory BIOs); no socket call here.
import Timer from "timer";

class TLSSession @ "xs_tls_destructor" {
	constructor(options) @ "xs_tls_constructor";
	handshake() @ "xs_tls_handshake";
	put(buffer) @ "xs_tls_put";
	take() @ "xs_tls_take";
	read(max) @ "xs_tls_read";
	write(buffer) @ "xs_tls_write";
	shutdown() @ "xs_tls_shutdown";
	close() @ "xs_tls_close";
	get protocol() @ "xs_tls_get_protocol";
}

const TLS_HANDSHAKE_FAILED = -28;
const CHUNK = 16384;            // one TLS record's plaintext
const PLAIN_LIMIT = 65536;      // plaintext decrypted ahead of the application; beyond it the TCP window closes
const OVERHEAD = 96;            // ciphertext bytes kept free for record headers and tags (Moddable's estimate)
const VERSIONS = Object.freeze({ "TLSv1.2": 0x0303, "TLSv1.3": 0x0304 });
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function version(value, name) {
	if (value === undefined) return undefined;
	const v = VERSIONS[value] ?? (value === 0x0303 || value === 0x0304 ? value : undefined);
	if (v === undefined) throw new RangeError(`${name}: "TLSv1.2" or "TLSv1.3"`);
	return v;
}

class TLSSocket {
	#tcp;
	#session;
	#callbacks;
	#ready = false;
	#ended = false;         // onError delivered, or closed
	#tcpWritable = 0;
	#tcpReadable = 0;
	#out = [];              // ciphertext the TCP socket has not taken yet
	#outBytes = 0;
	#plain = [];            // plaintext decrypted, not yet read
	#plainBytes = 0;
	#peerDone;              // undefined, or the code to report once the plaintext is read (0: close_notify/FIN)
	#refill;
	#closing = false;

	constructor(options) {
		const { TCP, host, secure = {}, onReadable, onWritable, onError, ...tcpOptions } = options;
		if (!TCP?.io) throw new TypeError("TCP.io required");
		const name = secure.serverName ?? host;
		const trace = secure.trace === true ? 1 : (secure.trace | 0);
		this.#callbacks = { onReadable, onWritable, onError };
		const certs = secure.clientCertificates;
		this.#session = new TLSSession({
			serverName: (name && !IPV4.test(name)) ? name : undefined,
			name: name ?? tcpOptions.address,
			ca: secure.certificate,
			verify: secure.verify ?? true,
			certificate: certs?.[0],
			key: certs?.[0] ? secure.clientKey : undefined,
			minVersion: version(secure.minVersion, "minVersion"),
			maxVersion: version(secure.maxVersion, "maxVersion"),
			debug: trace,
		});
		try {
			this.#tcp = new TCP.io({
				...tcpOptions,
				format: "buffer",
				onReadable: (count) => this.#onReadable(count),
				onWritable: (count) => this.#onWritable(count),
				onError: (code) => this.#onError(code),
			});
		}
		catch (e) {
			this.#session.close();
			throw e;
		}
	}

	get remoteAddress() { return this.#tcp.remoteAddress; }
	get remotePort() { return this.#tcp.remotePort; }
	get localAddress() { return this.#tcp.localAddress; }
	get localPort() { return this.#tcp.localPort; }
	/** Extension: the negotiated protocol ("TLSv1.2", "TLSv1.3") once onWritable came; undefined before. */
	get protocol() { return this.#ready && this.#session ? this.#session.protocol : undefined; }
	get format() { return "buffer"; }
	set format(value) {
		if (value !== "buffer") throw new RangeError("unimplemented");
	}

	/**
	 * Plaintext: read(byteLength) -> ArrayBuffer of exactly that many bytes (RangeError beyond what onReadable
	 * reported), read(view) -> bytes copied into it, read() -> everything available (undefined when none).
	 */
	read(count) {
		if (!this.#session) throw new SyntaxError("closed");
		let target, want;
		if (count === undefined) {
			if (!this.#plainBytes) return undefined;
			want = this.#plainBytes;
		}
		else if (typeof count === "object") {
			target = ArrayBuffer.isView(count) ? new Uint8Array(count.buffer, count.byteOffset, count.byteLength) : new Uint8Array(count);
			want = Math.min(target.length, this.#plainBytes);
		}
		else {
			want = count | 0;
			if (want < 0 || want > this.#plainBytes) throw new RangeError("invalid");
		}
		const result = target ?? new Uint8Array(want);
		let done = 0;
		while (done < want) {
			const head = this.#plain[0];
			const n = Math.min(head.length, want - done);
			result.set(n === head.length ? head : head.subarray(0, n), done);
			done += n;
			if (n === head.length) this.#plain.shift();
			else this.#plain[0] = head.subarray(n);
		}
		this.#plainBytes -= want;
		if (this.#plainBytes < PLAIN_LIMIT / 2) this.#scheduleRefill();
		return target ? want : result.buffer;
	}

	/** Encrypt and send `buffer` (ArrayBuffer or view); returns the plaintext bytes write() takes now. */
	write(buffer) {
		if (!this.#session) throw new SyntaxError("closed");
		if (!this.#ready) throw new Error("not ready");
		try {
			this.#session.write(buffer);
		}
		catch {
			this.#fail(TLS_HANDSHAKE_FAILED);
			return 0;
		}
		this.#flush();
		return this.#room();
	}

	/** Send close_notify, then close the TCP socket (gracefully: what was written is delivered first). */
	close() {
		if (!this.#session) return;
		this.#ended = true;
		Timer.clear(this.#refill);
		this.#refill = undefined;
		try {
			if (this.#ready) {
				this.#session.shutdown();
				this.#flush();
			}
		}
		catch {
			// the session failed already
		}
		this.#session.close();
		this.#session = undefined;
		if (this.#outBytes && this.#tcp) this.#closing = true;    // #onWritable closes once it is out
		else this.#closeTCP();
	}

	#closeTCP() {
		const tcp = this.#tcp;
		this.#tcp = undefined;
		this.#out = [];
		this.#outBytes = 0;
		try {
			tcp?.close();
		}
		catch {
			// gone
		}
	}

	#room() {
		const room = this.#tcpWritable - this.#outBytes - OVERHEAD;
		return room > 0 ? room : 0;
	}

	/** Hand ciphertext to the TCP socket as far as it takes it. */
	#flush() {
		const session = this.#session, tcp = this.#tcp;
		if (!tcp) return;
		const pending = session?.take();
		if (pending) {
			this.#out.push(new Uint8Array(pending));
			this.#outBytes += pending.byteLength;
		}
		while (this.#outBytes && this.#tcpWritable > 0) {
			const head = this.#out[0];
			const n = Math.min(head.length, this.#tcpWritable);
			const left = tcp.write(n === head.length ? head : head.subarray(0, n));
			this.#tcpWritable = typeof left === "number" ? left : 0;
			this.#outBytes -= n;
			if (n === head.length) this.#out.shift();
			else this.#out[0] = head.subarray(n);
		}
	}

	#onWritable(count) {
		this.#tcpWritable = count;
		if (this.#closing) {
			this.#flush();
			if (!this.#outBytes) this.#closeTCP();
			return;
		}
		if (this.#ended) return;
		if (!this.#ready) {
			this.#advance();
			return;
		}
		this.#flush();
		const room = this.#room();
		if (room > 0) this.#callbacks.onWritable?.call(this, room);
	}

	#onReadable(count) {
		this.#tcpReadable = count;
		if (!this.#ended) this.#advance();
	}

	#onError(code) {
		if (this.#closing) {
			this.#closeTCP();
			return;
		}
		if (this.#ended) return;
		code ??= 0;
		if (!this.#ready) {
			this.#fail(code === 0 ? TLS_HANDSHAKE_FAILED : code);
			return;
		}
		this.#tcpReadable = 0;
		this.#peerDone ??= code;
		this.#advance();
	}

	/** Move ciphertext in, run the handshake, decrypt; then tell the application what changed. */
	#advance() {
		const session = this.#session;
		const wasReady = this.#ready, before = this.#plainBytes;
		try {
			for (;;) {
				if (!this.#ready && session.handshake()) this.#ready = true;
				if (this.#ready) {
					while (this.#plainBytes < PLAIN_LIMIT && this.#peerDone === undefined) {
						const data = session.read(CHUNK);
						if (data === undefined) break;
						if (data === null) {
							this.#peerDone = 0;      // close_notify
							break;
						}
						this.#plain.push(new Uint8Array(data));
						this.#plainBytes += data.byteLength;
					}
				}
				if (!this.#tcpReadable || (this.#ready && this.#plainBytes >= PLAIN_LIMIT) || this.#peerDone !== undefined)
					break;
				const n = Math.min(this.#tcpReadable, CHUNK);
				const data = this.#tcp.read(n);
				this.#tcpReadable -= n;
				session.put(data);
			}
			this.#flush();
		}
		catch {
			this.#fail(TLS_HANDSHAKE_FAILED);
			return;
		}
		if (!wasReady && this.#ready) {
			if (this.#ended) return;
			this.#callbacks.onWritable?.call(this, this.#room());
		}
		if (this.#ended) return;
		if (this.#plainBytes > before) this.#callbacks.onReadable?.call(this, this.#plainBytes);
		else if (this.#peerDone !== undefined && !this.#plainBytes) this.#fail(this.#peerDone);
	}

	#scheduleRefill() {
		if (this.#refill || this.#ended) return;
		this.#refill = Timer.set(() => {
			this.#refill = undefined;
			if (this.#ended || !this.#session) return;
			if (this.#ready) this.#advance();
		}, 0);
	}

	/** The session is over: onError(code) once; the TCP socket is closed (no close_notify after a failure). */
	#fail(code) {
		if (this.#ended) return;
		this.#ended = true;
		Timer.clear(this.#refill);
		this.#refill = undefined;
		this.#session?.close();
		this.#session = undefined;
		this.#closeTCP();
		this.#callbacks.onError?.call(this, code);
	}
}

export default TLSSocket;
