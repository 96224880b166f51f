// Every limit and tunable of the socket machinery, in one place (as lwIP keeps them in lwipopts.h).
// Personalities (nodemcu/, luatos/) and the DNS client read them from here; nothing else hard-codes a number.
// docs/nodemcu-net.md lists them for users.

/**
 * Largest number of bytes read from the host socket per delivered "receive" chunk.
 * The simulator's TCP read() returns at most 64 KiB per call; on a device the available count is bounded by
 * the TCP receive window anyway. One chunk = one decode = one "receive" event.
 */
export const RECEIVE_CHUNK_BYTES = 65536;

/**
 * Size of the one scratch buffer that text-format ("string") receives are read into before decoding, in bytes:
 * the most decoded per "receive" event. Shared by all connections, so it is small enough for a board.
 */
export const RECEIVE_SCRATCH_BYTES = 8192;

/**
 * Pull-mode receive (luatos/socket): bytes a connection reads from the host socket ahead of the application, so
 * that a close by the peer is seen while earlier bytes are still unread (as LuatOS's receive list allows; hosts
 * report the close only once they hold no unread byte). Beyond it the host socket keeps what arrives (the simulator
 * up to SIM_TCP_READ_MAX = 64 KiB, a board up to its lwIP TCP_WND) and the TCP window closes: the peer stops until
 * the application reads. Small, because bytes read ahead are copied once more when taken (a JS copy), while the
 * rest goes from the host socket straight into the application's buffer.
 */
export const RECEIVE_BUFFER_BYTES = 4096;

/**
 * TLS connections: the most the TCP connection plus the TLS handshake and certificate check may take, in ms; then
 * the connection is aborted with ERR_TLS_HANDSHAKE (a peer that stalls mid-handshake). mbedTLS leaves it to the
 * application; 10 s is esp-tls's default timeout.
 */
export const TLS_HANDSHAKE_MS = 10000;

/**
 * Largest UDP payload send() accepts, in bytes: Ethernet MTU 1500 - IPv4 header 20 - UDP header 8.
 * NodeMCU's lwIP has IP fragmentation off and silently drops larger datagrams (nodemcu-firmware #2982);
 * we raise an error instead, on every platform alike (the loopback simulator could carry more).
 */
export const UDP_PAYLOAD_MAX = 1472;

/**
 * luatos/socket: largest UDP payload tx() sends, in bytes. The seed: "UDP单次发送不要超过1460字节" (do not send more
 * than 1460 bytes at once); tx() of a larger datagram returns false.
 */
export const LUATOS_UDP_TX_MAX = 1460;

/**
 * luatos/socket: clients a listening ctrl holds for accept() (LuatOS's listen backlog is 0..8). The backlog given to
 * listen() bounds it when it is above 0; more clients are closed at once.
 */
export const LUATOS_ACCEPT_QUEUE_MAX = 8;

/**
 * luatos/socket: addresses of a name a ctrl keeps (remoteIP) and tries in turn on connect: LuatOS's MAX_DNS_IP
 * (luat_network_adapter.h, "每个URL最多保留4个IP", at most 4 IPs kept per name); the first ones of the answer.
 */
export const LUATOS_DNS_IPS_MAX = 4;

/** Longest host name accepted, in bytes (RFC 1035; NodeMCU raises "illegal argument" from 256 on). */
export const DNS_NAME_MAX = 255;

/** Longest label of a host name, in bytes (RFC 1035). */
export const DNS_LABEL_MAX = 63;

/** Number of DNS servers (lwIP DNS_MAX_SERVERS; NodeMCU's net.dns.setdnsserver index 0..1). */
export const DNS_SERVERS_MAX = 2;

/** Default DNS server port. */
export const DNS_PORT = 53;

/**
 * DNS retry schedule, in milliseconds: the gap after each try to one server. lwIP 2.x (dns.c, DNS_MAX_RETRIES 4,
 * 1-second timer, tmr = retries): up to 4 tries per server at t = 0, 1, 2, 4 s, the server is given up at 7 s,
 * then the next server gets the same schedule; then the lookup fails.
 */
export const DNS_RETRY_GAPS_MS: readonly number[] = Object.freeze([1000, 1000, 2000, 3000]);

/** Most CNAME records followed within one DNS answer before giving up. */
export const DNS_CNAME_HOPS_MAX = 8;

/** Largest DNS response over UDP we read, in bytes (RFC 1035 limit without EDNS). */
export const DNS_MESSAGE_MAX = 512;

/**
 * SNTP client (LuatOS socket.sntp, luat_sntp.h): servers tried in turn (SNTP_SERVER_COUNT), each given one request
 * and this long to answer, in ms (NTP_TIMEOUT_MS, counted from the start of its name lookup), on this UDP port.
 */
export const SNTP_SERVERS_MAX = 3;
export const SNTP_TIMEOUT_MS = 2000;
export const SNTP_PORT = 123;
/** Network-delay samples averaged into ntptm().ndelay (NTP_NETWORK_DELAY_CMAX). */
export const SNTP_DELAY_SAMPLES = 8;

/**
 * NodeMCU's server "timeout": how long an accepted client may go without traffic (no byte received from it nor
 * handed to the host socket for it) before it is disconnected with ERR_ABRT, in seconds: default, minimum, maximum (NodeMCU's documented range).
 */
export const SERVER_TIMEOUT_DEFAULT_S = 30;
export const SERVER_TIMEOUT_MIN_S = 1;
export const SERVER_TIMEOUT_MAX_S = 28800;

/**
 * A chunk larger than this is written to the host socket in slices of at most this many bytes, so one huge send()
 * never needs a second copy of itself.
 */
export const SEND_SLICE_BYTES = 65536;

/**
 * Send queue bound, per socket, in bytes: bytes given to send() / tx() that the host socket cannot take yet wait in
 * the socket's queue (written from onWritable); a send whose bytes would take the queue past this limit is refused
 * whole (nodemcu/net: Error "send queue full", luatos/socket: tx() gives [false, true, false]) and nothing already
 * queued is touched; once the queue drains, sends are accepted again. The bytes the host socket takes at once do
 * not count. 1 MiB lets a program queue a few hundred KiB before its connection is up; the simulator has the heap
 * for it. A board has a few hundred KiB of RAM in all: its build should call setSendQueueLimit() at start-up with
 * what it can spare per connection (ESP32: 16-32 KiB, a few times lwIP's TCP_SND_BUF of 5744; ESP8266: 4-8 KiB).
 */
export const SEND_QUEUE_DEFAULT_BYTES = 1048576;

// A module-level `let` (not an object): writable at run time on a board too, where a preloaded module's objects are
// frozen.
let sendQueueMax = SEND_QUEUE_DEFAULT_BYTES;

/** The send queue bound now in force, in bytes (see SEND_QUEUE_DEFAULT_BYTES). */
export function sendQueueLimit(): number {
	return sendQueueMax;
}

/**
 * Change the send queue bound of every socket, in bytes, from the next send() on: an integer >= 1 (Infinity = no
 * bound). `import { setSendQueueLimit } from "xsnet/core/limits"`.
 * @throws RangeError for anything else.
 */
export function setSendQueueLimit(bytes: number): void {
	if (typeof bytes !== "number" || !(bytes >= 1) || (bytes !== Infinity && !Number.isInteger(bytes)))
		throw new RangeError("send queue limit must be an integer >= 1 (bytes) or Infinity");
	sendQueueMax = bytes;
}

/**
 * TCP_NODELAY on every connection (Nagle's algorithm off). The send queue already hands the host socket as much
 * as it takes in one write, so Nagle would only add delay to small request/response exchanges.
 */
export const TCP_NO_DELAY = true;

/**
 * How often the inactivity limits of accepted connections are checked, in ms: a silent client is dropped between
 * `timeout` and `timeout` + this. lwIP's TCP timers have the same 500 ms granularity.
 */
export const IDLE_SWEEP_MS = 500;

/** Payload of each echo request, in bytes (lwIP's ping.c PING_DATA_SIZE, as NodeMCU sends). */
export const ECHO_PAYLOAD_BYTES = 32;
/** Time between two echo requests of a session, in milliseconds (lwIP ping.c PING_COARSE: one per second). */
export const ECHO_INTERVAL_MS = 1000;
/** Time an echo request waits for its reply, in milliseconds (lwIP ping.c PING_TIMEOUT_MS). */
export const ECHO_TIMEOUT_MS = 1000;
/** Echo requests of a session when no count is given (lwIP ping.c DEFAULT_PING_MAX_COUNT). */
export const ECHO_COUNT_DEFAULT = 4;

/** Smallest and largest IP time-to-live a socket can be given (POSIX hosts refuse 0). */
export const TTL_MIN = 1;
export const TTL_MAX = 255;
