// NodeMCU's net.ping() (ESP8266 3.x, app/modules/net_ping.c over lwIP's app/ping.c), on xsnet's core/ping.
import { EchoSession, ECHO_COUNT_DEFAULT } from "xsnet/core/ping";
import type { EchoOwner } from "xsnet/core/ping";
import { lookup } from "xsnet/core/dns";
import { ERR_DNS_TIMEOUT } from "xsnet/core/errors";
import { callSafe } from "xsnet/core/tasks";
import { toInteger } from "xsnet/core/lua";
import { fail, checkHostName } from "nodemcu/checks";
import type { Fn } from "nodemcu/types";

/**
 * net.ping's `callback_received(bytes, ip, seqno, rtt)`: a reply `(32, ip, seqno, rtt_ms)`; a request without
 * reply `(0, ip, 0, -1)`; ping could not start `(0, undefined, undefined, undefined, reason)` (host not resolved;
 * `reason` is an extension: a text such as "host not found" or why no ICMP socket could be opened).
 */
export type PingReplyCallback = (bytes: number, ip: string | undefined, seqno: number | undefined,
	rtt: number | undefined, reason?: string) => void;
/** net.ping's `callback_sent(ip, total_count, timeout_count, total_bytes, total_time_ms)`: the summary. */
export type PingDoneCallback = (ip: string, totalCount: number, timeoutCount: number, totalBytes: number,
	totalTime: number) => void;

/** One net.ping() call: the owner of its core EchoSession, turning events into NodeMCU's callbacks. */
class NetPing implements EchoOwner {
	constructor(private readonly onReply: Fn, private readonly onDone: Fn | undefined) {}

	echoReply(session: EchoSession, seq: number, rtt: number, bytes: number): void {
		callSafe(this.onReply, undefined, bytes, session.address, seq, rtt);
	}

	echoLost(session: EchoSession, _seq: number): void {
		callSafe(this.onReply, undefined, 0, session.address, 0, -1);
	}

	echoDone(session: EchoSession): void {
		if (this.onDone) callSafe(this.onDone, undefined, session.address, session.count, session.lost,
			session.received * session.payloadBytes, session.elapsed);
	}

	/** Ping could not start: `onReply(0)`, plus the reason (extension); no summary follows (as net_ping.c). */
	failed(reason: string): void {
		callSafe(this.onReply, undefined, 0, undefined, undefined, undefined, reason);
	}
}

/** A count argument: an integer >= 0 (number or decimal string, as Lua converts); 0 = the default. */
function toCount(value: unknown): number {
	if (value === undefined || value === null) return ECHO_COUNT_DEFAULT;
	const count = toInteger(value);
	if (count === undefined || count < 0 || count > 0xFFFFFFFF) fail("wrong arg type");
	return count || ECHO_COUNT_DEFAULT;
}

/**
 * Ping `host` (a name or a dotted quad): `count` ICMP echo requests (default 4; 0 also means 4), one per second,
 * 32 bytes of payload, each waiting 1 s for its reply. Names are resolved first, through the DNS servers.
 * Forms: `ping(host, onReply)`, `ping(host, onReply, onDone)`, `ping(host, count, onReply[, onDone])`.
 * `onReply(32, ip, seqno, rtt_ms)` for each reply, `onReply(0, ip, 0, -1)` for each request without reply (after
 * its 1-s timeout), then `onDone(ip, count, timeouts, 32 × replies, total_ms)` one second after the last request.
 * When the name does not resolve (or is 255.255.255.255) or no ICMP socket can be opened (no permission, a
 * platform without ICMP): `onReply(0, undefined, undefined, undefined, reason)` once and no `onDone` (NodeMCU:
 * `onReply(0)`; the reason is an extension). `seqno` counts the requests of the whole program (1, 2, ... as
 * lwIP's ping.c), so each request of overlapping pings has its own: concurrent pings never take each other's
 * replies (NodeMCU's do). Every callback runs protected and asynchronously. Returns nothing.
 * @throws Error "wrong arg type" (host not a string, count not an integer >= 0), "illegal argument" (host empty
 *   or over 255 bytes), "no received callback specified", "invalid sent callback, function expected".
 *   Source: net_ping.c net_ping().
 */
export function ping(host: string, onReply: PingReplyCallback, onDone?: PingDoneCallback | null): void;
export function ping(host: string, count: number | undefined | null, onReply: PingReplyCallback,
	onDone?: PingDoneCallback | null): void;
export function ping(host: string, ...args: unknown[]): void {
	const name = checkHostName(host, "wrong arg type");
	let count = ECHO_COUNT_DEFAULT, onReply: unknown, onDone: unknown;
	if (typeof args[0] === "function") {
		onReply = args[0];
		onDone = args[1];
	}
	else {
		count = toCount(args[0]);
		onReply = args[1];
		onDone = args[2];
	}
	if (typeof onReply !== "function") fail("no received callback specified");
	if (onDone !== undefined && onDone !== null && typeof onDone !== "function")
		fail("invalid sent callback, function expected");
	const owner = new NetPing(onReply as Fn, (onDone ?? undefined) as Fn | undefined);
	lookup(name, (error, address) => {
		if (address === undefined || address === "255.255.255.255") {
			owner.failed(address ? "broadcast address" : error === ERR_DNS_TIMEOUT ? "DNS timeout" : "host not found");
			return;
		}
		const session = new EchoSession(owner, address, { count });
		try {
			session.start();
		}
		catch (e) {
			owner.failed((e as Error)?.message ?? String(e));
		}
	});
}
