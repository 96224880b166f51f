// LuatOS's SNTP client (components/network/libsntp: socket.sntp / socket.ntptm), written from its behaviour and
// RFC 4330: up to three servers tried in turn, one request each over UDP port 123 through the core's UDP
// endpoint, "NTP_UPDATE" (with 0) or "NTP_ERROR" published with sys.publish. The clock of ntptm() is a local
// millisecond counter (Date.now() from the module's first use; LuatOS: mcu.tick64() since boot) plus the offset
// the last sync measured.
import { toInteger } from "xsnet/core/lua";
import Timer from "timer";
import sys from "luatos/sys";
import { log } from "luatos/log";
import { UdpEndpoint, UdpOwner } from "xsnet/core/udp";
import { lookup, isValidHostName, CancelLookup } from "xsnet/core/dns";
import { post } from "xsnet/core/tasks";
import { SNTP_SERVERS_MAX, SNTP_TIMEOUT_MS, SNTP_PORT, SNTP_DELAY_SAMPLES } from "xsnet/core/limits";

/** LuatOS's default servers (luat_sntp.c); used until sntp() is given others. */
const DEFAULT_SERVERS: readonly string[] = Object.freeze(["ntp.aliyun.com", "ntp.ntsc.ac.cn", "time1.cloud.tencent.com"]);

/** The one adapter xsnet has: the host's network, LuatOS's LWIP_STA (socket.LWIP_STA). */
const ADAPTER_STA = 2;

/** 2^32: NTP timestamps are 32.32 fixed point; era 1 starts in 2036. */
const TWO32 = 4294967296;

/** ntptm()'s result (LuatOS's table; `vaild` is LuatOS's spelling). All integers; times in ms and s since 1900. */
export interface NtpTime {
	tsec: number;
	tms: number;
	vaild: true | undefined;
	ndelay: number;
	ssec: number;
	sms: number;
	lsec: number;
	lms: number;
}

interface SntpState {
	servers: string[];
	sync: Sync | undefined;
	origin: number;                 // Date.now() where the local counter is 0
	synced: boolean;
	base: number;                   // NTP-era ms (since 1900) at local counter 0
	delays: number[];               // last one-way delay samples, ms
}

// Made on first use (module bodies run at preload, where Date.now() and arrays would be frozen or refused).
let sntpState: SntpState | undefined;

function state(): SntpState {
	return sntpState ??= { servers: DEFAULT_SERVERS.slice(), sync: undefined, origin: Date.now(), synced: false, base: 0, delays: [] };
}

/** The local counter, ms. */
function localMs(s: SntpState): number {
	return Date.now() - s.origin;
}

/** NTP timestamp at `at` (8 bytes) as ms since 1900 (RFC 4330 section 3: a clear top bit means era 1, 2036..). */
function readStamp(view: DataView, at: number): number {
	let seconds = view.getUint32(at);
	if (!(seconds & 0x80000000)) seconds += TWO32;
	return seconds * 1000 + view.getUint32(at + 4) * 1000 / TWO32;
}

function writeStamp(view: DataView, at: number, ms: number): void {
	view.setUint32(at, Math.floor(ms / 1000) % TWO32);
	view.setUint32(at + 4, Math.floor((ms % 1000) * TWO32 / 1000));
}

/** One sync: the servers in turn, one request each, until one answers well or all failed. */
class Sync implements UdpOwner {
	declare s: SntpState;
	declare next: number;                       // index of the next server to try
	declare attempt: number;                    // counts tries; late callbacks of an earlier one are ignored
	declare endpoint: UdpEndpoint | undefined;
	declare timer: Timer | undefined;
	declare cancel: CancelLookup | undefined;
	declare address: string | undefined;        // the server asked now, once resolved
	declare request: Uint8Array | undefined;    // the request sent (its transmit timestamp comes back as originate)
	declare sentAt: number;                     // local ms when it was sent

	/** Try the next server, or end with NTP_ERROR after the last. */
	tryNext(): void {
		this.stopAttempt();
		const s = this.s;
		if (this.next >= SNTP_SERVERS_MAX) {
			this.end("NTP_ERROR");
			return;
		}
		const host = s.servers[this.next++];
		const attempt = ++this.attempt;
		this.timer = Timer.set(() => {
			if (attempt !== this.attempt) return;
			this.timer = undefined;
			log("W", "sntp", `no answer from ${host} in ${SNTP_TIMEOUT_MS} ms`);
			this.tryNext();
		}, SNTP_TIMEOUT_MS);
		if (!isValidHostName(host)) {
			post(failed, this, attempt);
			return;
		}
		this.cancel = lookup(host, (error, address) => {
			if (attempt !== this.attempt) return;
			this.cancel = undefined;
			if (error || !address) {
				log("W", "sntp", `cannot resolve ${host} (${error})`);
				this.tryNext();
			}
			else this.send(address);
		});
	}

	/** Send the request to `address`:123. */
	send(address: string): void {
		const s = this.s;
		const request = new Uint8Array(48);
		request[0] = 0x1B;                          // LI 0, version 3, mode 3 (client), as LuatOS sends
		const view = new DataView(request.buffer);
		const now = localMs(s);
		// Transmit timestamp: our best time (the local counter before the first sync), with random low bits so the
		// answer's originate timestamp proves it answers this request (RFC 4330 section 5).
		writeStamp(view, 40, s.synced ? s.base + now : now);
		view.setUint16(46, Math.floor(Math.random() * 65536));
		this.endpoint ??= new UdpEndpoint(this);
		this.endpoint.format = "buffer";
		this.address = address;
		this.request = request;
		this.sentAt = now;
		try {
			this.endpoint.send(request, address, SNTP_PORT, undefined);
		}
		catch (e) {
			log("W", "sntp", `request to ${address} failed: ${(e as Error)?.message ?? e}`);
			this.tryNext();
		}
	}

	udpSent(): void {
	}

	/** An answer: checked as RFC 4330 section 5 says, then the clock is set from it. */
	udpReceived(_endpoint: UdpEndpoint, data: string | ArrayBuffer, port: number, address: string): void {
		const request = this.request;
		if (!request || address !== this.address || port !== SNTP_PORT || typeof data === "string" || data.byteLength < 48) return;
		const s = this.s;
		const arrived = localMs(s);
		const reply = new Uint8Array(data);
		for (let i = 0; i < 8; i++) if (reply[24 + i] !== request[40 + i]) return;     // not the answer to our request
		const view = new DataView(data);
		const mode = reply[0] & 7, leap = reply[0] >> 6, stratum = reply[1];
		if (mode !== 4 || leap === 3 || stratum === 0 || stratum > 15 || (!view.getUint32(40) && !view.getUint32(44))) {
			const code = stratum === 0 ? String.fromCharCode(reply[12], reply[13], reply[14], reply[15]) : "";
			log("W", "sntp", `unusable answer from ${address} (mode ${mode}, leap ${leap}, stratum ${stratum}${code ? ", kiss code " + code : ""})`);
			this.tryNext();
			return;
		}
		const received = readStamp(view, 32), transmitted = readStamp(view, 40);
		const delay = Math.max(0, (arrived - this.sentAt) - (transmitted - received));
		const oneWay = Math.round(delay / 2);
		s.base = Math.round(transmitted + delay / 2) - arrived;
		s.synced = true;
		s.delays.push(oneWay);
		if (s.delays.length > SNTP_DELAY_SAMPLES) s.delays.shift();
		this.end("NTP_UPDATE");
	}

	stopAttempt(): void {
		this.attempt++;
		if (this.timer) Timer.clear(this.timer);
		this.timer = undefined;
		const cancel = this.cancel;
		this.cancel = undefined;
		if (cancel) cancel();
		this.address = undefined;
		this.request = undefined;
	}

	/** Clean up, then publish the result (subscribers may start the next sync at once). */
	end(topic: "NTP_UPDATE" | "NTP_ERROR"): void {
		this.stopAttempt();
		this.endpoint?.close();
		this.endpoint = undefined;
		if (this.s.sync === this) this.s.sync = undefined;
		if (topic === "NTP_UPDATE") sys.publish(topic, 0);
		else {
			log("W", "sntp", "all servers failed");
			sys.publish(topic);
		}
	}
}

function failed(sync: Sync, attempt: number): void {
	if (attempt === sync.attempt) sync.tryNext();
}

/** Put `name` in server slot `slot`; names over 255 bytes are refused (logged). */
function setServer(s: SntpState, slot: number, name: unknown): boolean {
	if (typeof name !== "string") throw new TypeError(`socket.sntp: server ${slot + 1} must be a string`);
	if (name.length > 255 || ArrayBuffer.fromString(name).byteLength > 255) {
		log("E", "sntp", `server_addr too long ${name}`);
		return false;
	}
	s.servers[slot] = name;
	return true;
}

/**
 * Synchronise ntptm()'s clock by SNTP (RFC 4330) over UDP port 123: `servers` (a name or address, or a list
 * whose first 3 entries overwrite the same slots) replace the servers given before — LuatOS's defaults at first.
 * The servers are tried in turn, each with one request and 2 s to answer; then "NTP_UPDATE" is published with 0,
 * or "NTP_ERROR" after the last. A call while a sync runs only sets the servers (logged, as LuatOS).
 * `adapter`: LuatOS's adapter number; xsnet's one network is socket.LWIP_STA (2, the default); any other adapter
 * is not ready and gives NTP_ERROR.
 * @throws TypeError when `servers` is not a string or an array of strings, or `adapter` not an integer.
 */
export function sntp(servers?: string | string[] | null, adapter?: number | null): void {
	if (adapter !== undefined && adapter !== null) {
		adapter = toInteger(adapter);        // luaL_optinteger: an integer or a decimal string
		if (adapter === undefined) throw new TypeError("socket.sntp: adapter must be an integer");
	}
	const s = state();
	if (typeof servers === "string") {
		if (!setServer(s, 0, servers)) return;
	}
	else if (Array.isArray(servers)) {
		const n = Math.min(servers.length, SNTP_SERVERS_MAX);
		for (let i = 0; i < n; i++) setServer(s, i, servers[i]);
	}
	else if (servers !== undefined && servers !== null) throw new TypeError("socket.sntp: servers must be a string or an array of strings");
	if (s.sync) {
		log("I", "sntp", "sntp is running");
		return;
	}
	const sync = new Sync();
	sync.s = s;
	sync.next = 0;
	sync.attempt = 0;
	s.sync = sync;
	if (adapter !== undefined && adapter !== null && adapter !== ADAPTER_STA) {
		log("W", "sntp", `adapter ${adapter} is not ready`);
		sync.next = SNTP_SERVERS_MAX;
		post(failed, sync, sync.attempt);
		return;
	}
	sync.tryNext();
}

/**
 * The synchronised time: `tsec`.`tms` = seconds and ms since 1900-01-01 UTC (as LuatOS documents; its code gives
 * Unix seconds), `vaild` true once a sync succeeded (undefined before: tsec/tms are then the local counter),
 * `ndelay` the mean one-way network delay (ms) of the last 8 syncs, `ssec`.`sms` the time at local counter 0,
 * `lsec`.`lms` the local counter.
 */
export function ntptm(): NtpTime {
	const s = state();
	const local = localMs(s);
	const base = s.synced ? s.base : 0;
	const now = base + local;
	let sum = 0;
	for (const d of s.delays) sum += d;
	return {
		tsec: Math.floor(now / 1000), tms: now % 1000, vaild: s.synced ? true : undefined,
		ndelay: s.delays.length ? Math.round(sum / s.delays.length) : 0,
		ssec: Math.floor(base / 1000), sms: base % 1000,
		lsec: Math.floor(local / 1000), lms: local % 1000,
	};
}
