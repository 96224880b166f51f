// ICMP echo ("ping") over xsnet/native's ICMP socket: echo requests on a schedule, replies matched to their
// requests, one timeout per request, a summary at the end. No API personality here: events go to an EchoOwner.
//
// Every running session shares one ICMP socket, opened when the first session starts and closed when the last
// one ends (nothing stays open or scheduled once every session is done). Replies are told apart by the
// sequence number, which is unique among the echoes in flight of every session (one counter for the process),
// and by the payload, which carries a random tag of the socket and the sequence number: an unprivileged ICMP
// socket rewrites the identifier field, so the identifier alone cannot tell our replies from others, and a raw
// socket sees every echo reply that reaches the host (other programs' included) and our own requests.
import { ICMP } from "xsnet/native";
import Timer from "timer";
import { ECHO_PAYLOAD_BYTES, ECHO_INTERVAL_MS, ECHO_TIMEOUT_MS, ECHO_COUNT_DEFAULT } from "xsnet/core/limits";
export { ECHO_PAYLOAD_BYTES, ECHO_INTERVAL_MS, ECHO_TIMEOUT_MS, ECHO_COUNT_DEFAULT };

const ICMP_HEADER_BYTES = 8;
const ICMP_ECHO_REPLY = 0;
const ICMP_ECHO_REQUEST = 8;
const ECHO_TAG_BYTES = 4;          // payload bytes 0-1: the socket's tag, 2-3: the sequence number
const SEQ_MAX = 0xFFFF;

/** Receiver of a session's events, in the order they happen; none during start(). Its methods must not throw. */
export interface EchoOwner {
	/** The reply to echo `seq` arrived `rtt` ms after the request, with `bytes` bytes of payload. */
	echoReply(session: EchoSession, seq: number, rtt: number, bytes: number): void;
	/** Echo `seq` got no matching reply within the timeout (or could not be sent). */
	echoLost(session: EchoSession, seq: number): void;
	/** The session is over: every echo was answered or lost; see sent, received, lost, elapsed. */
	echoDone(session: EchoSession): void;
}

/** Schedule of a session; every field is optional (defaults: the ECHO_* constants). */
export interface EchoOptions {
	/** echo requests to send, >= 1 */
	count?: number;
	/** ms between two requests, >= 1 */
	intervalMs?: number;
	/** ms a request waits for its reply, >= 1 */
	timeoutMs?: number;
	/** payload bytes of each request, 4..1472 */
	payloadBytes?: number;
}

interface Echo {
	session: EchoSession;
	seq: number;
	tag: number;
	sentAt: number;
	deadline: number;
}

interface HostICMP {
	read(): (ArrayBuffer & { address: string }) | undefined;
	write(message: ArrayBuffer | Uint8Array, address: string): void;
	close(): void;
}

// The shared socket and the echoes in flight, by sequence number. The Map is made with the socket, at run time:
// a Map that a preloaded module body creates is read-only on a board (XS linker, documentation/xs/preload.md).
let socket: HostICMP | undefined;
let socketTag = 0;
let sessions = 0;
let lastSeq = 0;
let inFlight: Map<number, Echo> | undefined;

function onReadable(this: HostICMP, _count: number): void {
	for (;;) {
		const s = socket;
		if (s !== this) return;            // closed meanwhile (by a session that ended in an owner callback)
		const message = s.read();
		if (!message) return;
		arrived(new Uint8Array(message), message.address);
	}
}

/** Open the shared socket for one more session. @throws the host's error (no ICMP permission, ...). */
function retain(): void {
	if (!socket) {
		socket = new ICMP({ onReadable }) as unknown as HostICMP;
		socketTag = (Math.random() * 0x10000) & 0xFFFF;
		inFlight = new Map();
	}
	sessions++;
}

function release(): void {
	if (--sessions > 0 || !socket) return;
	const s = socket;
	socket = undefined;
	inFlight = undefined;
	s.close();
}

/** The next free sequence number (1..65535, wrapping; never one still in flight). */
function nextSeq(): number {
	for (let i = 0; i < SEQ_MAX; i++) {
		lastSeq = lastSeq >= SEQ_MAX ? 1 : lastSeq + 1;
		if (!inFlight!.has(lastSeq)) return lastSeq;
	}
	throw new RangeError("too many echo requests in flight");
}

/** Payload byte `i` of the echo with `tag` and `seq`: the tag, the sequence number, then i mod 256. */
function payloadByte(tag: number, seq: number, i: number): number {
	switch (i) {
		case 0: return tag >> 8;
		case 1: return tag & 0xFF;
		case 2: return seq >> 8;
		case 3: return seq & 0xFF;
		default: return i & 0xFF;
	}
}

/** The Internet checksum (RFC 1071) of `bytes`. */
export function internetChecksum(bytes: Uint8Array): number {
	let sum = 0;
	const n = bytes.length;
	for (let i = 0; i + 1 < n; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
	if (n & 1) sum += bytes[n - 1] << 8;
	while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >>> 16);
	return ~sum & 0xFFFF;
}

/** An ICMP echo request: type 8, code 0, checksum, identifier, sequence number, payload. */
function echoRequest(tag: number, seq: number, payloadBytes: number): Uint8Array {
	const m = new Uint8Array(ICMP_HEADER_BYTES + payloadBytes);
	m[0] = ICMP_ECHO_REQUEST;
	m[4] = tag >> 8;
	m[5] = tag & 0xFF;
	m[6] = seq >> 8;
	m[7] = seq & 0xFF;
	for (let i = 0; i < payloadBytes; i++) m[ICMP_HEADER_BYTES + i] = payloadByte(tag, seq, i);
	const sum = internetChecksum(m);
	m[2] = sum >> 8;
	m[3] = sum & 0xFF;
	return m;
}

/**
 * An ICMP message arrived from `address`. It answers an echo in flight when it is an echo reply with a valid
 * checksum, from the echo's destination, with the echo's sequence number and exactly its payload (tag and all).
 * Anything else — our own requests on a raw socket, other programs' replies, duplicates, replies that come
 * after their timeout, forged or damaged ones — is ignored.
 */
function arrived(m: Uint8Array, address: string): void {
	if (m.length < ICMP_HEADER_BYTES || m[0] !== ICMP_ECHO_REPLY || m[1] !== 0) return;
	const echo = inFlight?.get((m[6] << 8) | m[7]);
	if (!echo || echo.session.address !== address) return;
	const n = echo.session.payloadBytes;
	if (m.length !== ICMP_HEADER_BYTES + n || internetChecksum(m) !== 0) return;
	for (let i = 0; i < n; i++) if (m[ICMP_HEADER_BYTES + i] !== payloadByte(echo.tag, echo.seq, i)) return;
	inFlight!.delete(echo.seq);
	echo.session.answered(echo, n);
}

function positiveInteger(value: unknown, fallback: number, max: number, name: string): number {
	if (value === undefined) return fallback;
	if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
		throw new TypeError(`invalid ${name}`);
	return value;
}

/**
 * One ping: `count` echo requests to `address`, one every `intervalMs` (the first at start()), each waiting
 * `timeoutMs` for its reply. Events go to the owner: echoReply or echoLost once per request, in the order they are
 * decided, then echoDone once, `intervalMs` after the last request (as lwIP's ping.c: 4 requests take 4 s) or
 * when the last request times out, whichever is later. After echoDone the session holds no timer, and the socket
 * is closed when no other session runs.
 */
export class EchoSession {
	readonly owner: EchoOwner;
	/** destination, "a.b.c.d" */
	readonly address: string;
	readonly count: number;
	readonly intervalMs: number;
	readonly timeoutMs: number;
	readonly payloadBytes: number;
	/** requests sent so far (including those the host failed to send), replies matched, requests lost */
	sent = 0;
	received = 0;
	lost = 0;
	/** ms from start() to echoDone (0 until then) */
	elapsed = 0;
	private startedAt = 0;
	private nextAt = 0;                 // next request, or the end once every request was sent
	private dueAt = 0;                  // when the timer was due (the session's clock never runs behind it)
	private pending: Echo[] = [];       // requests without reply, in the order sent (so by deadline)
	private readonly onTimer: () => void;

	/**
	 * @param address an IPv4 dotted quad (not resolved here).
	 * @throws TypeError "invalid count" / "invalid interval" / "invalid timeout" / "invalid payload size".
	 */
	constructor(owner: EchoOwner, address: string, options: EchoOptions = {}) {
		this.owner = owner;
		this.address = address;
		this.count = positiveInteger(options.count, ECHO_COUNT_DEFAULT, 0xFFFFFFFF, "count");
		this.intervalMs = positiveInteger(options.intervalMs, ECHO_INTERVAL_MS, 0x7FFFFFFF, "interval");
		this.timeoutMs = positiveInteger(options.timeoutMs, ECHO_TIMEOUT_MS, 0x7FFFFFFF, "timeout");
		this.payloadBytes = positiveInteger(options.payloadBytes, ECHO_PAYLOAD_BYTES, 1472, "payload size");
		if (this.payloadBytes < ECHO_TAG_BYTES) throw new TypeError("invalid payload size");
		this.onTimer = () => this.tick();
	}

	/**
	 * Send the first request now and schedule the rest.
	 * @throws the host's error when no ICMP socket can be opened (no permission, platform without ICMP); then no
	 *   event ever follows. Error "already started" on a second call.
	 */
	start(): void {
		if (this.startedAt) throw new Error("already started");
		retain();
		const now = Date.now();
		this.startedAt = now;
		this.send(now);
		this.schedule(now);
	}

	/** @internal The reply to `echo` arrived (already removed from inFlight). */
	answered(echo: Echo, bytes: number): void {
		const i = this.pending.indexOf(echo);
		if (i < 0) return;
		this.pending.splice(i, 1);
		this.received++;
		const rtt = Date.now() - echo.sentAt;
		this.owner.echoReply(this, echo.seq, rtt < 0 ? 0 : rtt, bytes);
	}

	private send(now: number): void {
		const echo: Echo = { session: this, seq: nextSeq(), tag: socketTag, sentAt: Date.now(), deadline: now + this.timeoutMs };
		this.sent++;
		this.nextAt = now + this.intervalMs;
		this.pending.push(echo);
		inFlight!.set(echo.seq, echo);
		try {
			socket!.write(echoRequest(echo.tag, echo.seq, this.payloadBytes), this.address);
		}
		catch {
			// unreachable network, no buffer, ...: the request is lost and reported so at its deadline (lwIP ping.c)
		}
	}

	private tick(): void {
		const now = Math.max(Date.now(), this.dueAt);
		const pending = this.pending;
		while (pending.length && pending[0].deadline <= now) {
			const echo = pending.shift()!;
			inFlight?.delete(echo.seq);
			this.lost++;
			this.owner.echoLost(this, echo.seq);
		}
		if (this.sent < this.count) {
			if (now >= this.nextAt) this.send(now);
		}
		else if (!pending.length && now >= this.nextAt) {
			this.finish(now);
			return;
		}
		this.schedule(now);
	}

	private schedule(now: number): void {
		let next = this.nextAt;
		if (this.pending.length) {
			const deadline = this.pending[0].deadline;
			if (next <= now || deadline < next) next = deadline;
		}
		this.dueAt = next;
		Timer.set(this.onTimer, next > now ? next - now : 0);
	}

	private finish(now: number): void {
		this.elapsed = now - this.startedAt;
		release();
		this.owner.echoDone(this);
	}
}
