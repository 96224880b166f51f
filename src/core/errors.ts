// lwIP 2.x error numbers (lwip/err.h), as ESP32 NodeMCU reports them, and as the simulator's
// embedded:io/socket/tcp passes them to onError(code). 0 = normal close by the peer (FIN).
// Personalities map them to their own event arguments and messages; the numbers themselves are shared.

export const ERR_OK = 0;
export const ERR_MEM = -1;
export const ERR_BUF = -2;
export const ERR_TIMEOUT = -3;
export const ERR_RTE = -4;
export const ERR_INPROGRESS = -5;
export const ERR_VAL = -6;
export const ERR_WOULDBLOCK = -7;
export const ERR_USE = -8;
export const ERR_ALREADY = -9;
export const ERR_ISCONN = -10;
export const ERR_CONN = -11;
export const ERR_IF = -12;
export const ERR_ABRT = -13;
export const ERR_RST = -14;
export const ERR_CLSD = -15;
export const ERR_ARG = -16;

/**
 * DNS lookup failed: the name does not exist or has no IPv4 address, or no DNS server is configured.
 * lwIP's netconn_gethostbyname() reports every failed lookup as ERR_VAL.
 */
export const ERR_DNS_FAILED = ERR_VAL;
/** DNS lookup got no answer from any server within the retry schedule (limits.ts DNS_RETRY_GAPS_MS). */
export const ERR_DNS_TIMEOUT = ERR_TIMEOUT;

/**
 * TLS: the handshake failed, the server's certificate was refused (untrusted, expired, wrong name), the server
 * refused ours, or the handshake did not finish within limits.ts TLS_HANDSHAKE_MS. The ESP8266 SDK's
 * ESPCONN_HANDSHAKE ("ssl handshake failed"), which NodeMCU 2.x's secure sockets report; not an lwIP number.
 * The simulator's embedded:io/socket/tcp/tls passes it to onError.
 */
export const ERR_TLS_HANDSHAKE = -28;

const STRINGS: readonly string[] = Object.freeze([
	"Ok.", "Out of memory error.", "Buffer error.", "Timeout.", "Routing problem.", "Operation in progress.",
	"Illegal value.", "Operation would block.", "Address in use.", "Already connecting.", "Already connected.",
	"Not connected.", "Low-level netif error.", "Connection aborted.", "Connection reset.", "Connection closed.",
	"Illegal argument.",
]);

/** lwIP's lwip_strerr() text for an error number ("Connection reset." for -14); "Unknown error." otherwise. */
export function errorString(code: number): string {
	if (code === ERR_TLS_HANDSHAKE) return "TLS handshake failed.";
	return STRINGS[-code] ?? "Unknown error.";
}
