// NodeMCU's `tls` module (ESP8266 2.x/3.x, app/modules/tls.c): TLS client sockets with the methods and events of
// net.socket, and the certificate settings every NodeMCU TLS socket opened afterwards uses.
//   import tls from "nodemcu/tls";
//   tls.cert.verify(caPem);                       // trust this CA (and check certificates, the default)
//   const s = tls.createConnection();             // or net.createConnection(net.TCP, 1)
//   s.on("connection", (s) => s.send("GET / HTTP/1.0\r\nHost: example.test\r\n\r\n"));
//   s.connect(443, "example.test");
// "connection" fires only after the handshake and the certificate check. A refusal (untrusted or expired
// certificate, wrong name, client certificate refused, handshake not done within 10 s) sends no application byte
// and ends in "reconnection" (or "disconnection") with -28 (ERR_TLS_HANDSHAKE, ESP8266's ESPCONN_HANDSHAKE).
// docs/nodemcu-net.md, "TLS", has the details and the differences with NodeMCU. In TLS builds only (the app's
// manifest includes xsnet's manifest_tls.json), as NodeMCU's tls module must be compiled into the firmware.
import { NetSocket } from "nodemcu/socket";
import { fail } from "nodemcu/checks";
import { tlsTarget, debugLevel, pemBlocks, PEM_CERTIFICATE, PEM_KEY } from "xsnet/core/tls";
import type { TlsSettings, TlsTarget } from "xsnet/core/tls";
import { ERR_TLS_HANDSHAKE } from "xsnet/core/errors";

export { ERR_TLS_HANDSHAKE };

// The settings of the sockets opened from now on (NodeMCU keeps them globally too).
let verify = true;
let ca: ArrayBuffer[] | undefined;
let auth = false;
let clientCertificates: ArrayBuffer[] | undefined;
let clientKey: ArrayBuffer | undefined;
let debug = 0;

function target(host: string): TlsTarget {
	const settings: TlsSettings = { verify, ca, debug };
	if (auth && clientCertificates) {
		settings.clientCertificates = clientCertificates;
		settings.clientKey = clientKey;
	}
	return tlsTarget(host, settings);
}

/**
 * A TLS client socket (NodeMCU's tls.socket): net.socket's methods and events, over TLS with the settings of
 * tls.cert and tls.setDebug at connect() time. Also what net.createConnection(net.TCP, 1) returns.
 */
export function createConnection(): NetSocket {
	const s = new NetSocket();
	s.tlsFor = target;
	return s;
}

/** tls.cert: the certificates of the TLS sockets opened afterwards. */
export const cert = Object.freeze({
	/**
	 * `verify(pem)`: trust the CA certificate(s) of PEM text `pem` (one or more "BEGIN CERTIFICATE" blocks) and
	 * check the server's certificate and name; `verify(true|false)`: checking on (the default here; NodeMCU's
	 * default is off) or off. A board's Moddable ssl/session trusts one CA, the first block; so does the simulator.
	 * @returns true. @throws Error "no certificate in PEM data" / "malformed PEM data"; "wrong arg type".
	 */
	verify(pem: string | boolean): boolean {
		if (typeof pem === "boolean") {
			verify = pem;
			return true;
		}
		if (typeof pem !== "string") fail("wrong arg type");
		const blocks = pemBlocks(pem, PEM_CERTIFICATE);
		if (!blocks) fail("malformed PEM data");
		if (!blocks.length) fail("no certificate in PEM data");
		ca = blocks;
		verify = true;
		return true;
	},

	/**
	 * `auth(pem)`: the client certificate (chain) and its key for servers that ask for one (mutual TLS), from PEM
	 * text with "BEGIN CERTIFICATE" block(s) and one "BEGIN PRIVATE KEY" block (PKCS#8, unencrypted: what
	 * Moddable's ssl/cert reads; convert others with `openssl pkcs8 -topk8 -nocrypt`); `auth(true|false)`: send the
	 * loaded one or none.
	 * @returns true. @throws Error "no certificate in PEM data", "no PKCS#8 private key in PEM data",
	 *   "malformed PEM data", "wrong arg type".
	 */
	auth(pem: string | boolean): boolean {
		if (typeof pem === "boolean") {
			auth = pem && clientCertificates !== undefined;
			return true;
		}
		if (typeof pem !== "string") fail("wrong arg type");
		const certs = pemBlocks(pem, PEM_CERTIFICATE), keys = pemBlocks(pem, PEM_KEY);
		if (!certs || !keys) fail("malformed PEM data");
		if (!certs.length) fail("no certificate in PEM data");
		if (keys.length !== 1) fail("no PKCS#8 private key in PEM data");
		clientCertificates = certs;
		clientKey = keys[0];
		auth = true;
		return true;
	},
});

/**
 * NodeMCU's tls.setDebug(level): the TLS library's diagnostics, 0 (off) .. 4 (mbedTLS's levels). Here 1-2 print
 * the handshake steps and alerts, 3-4 every record too (the simulator: OpenSSL's, on stderr).
 * @throws Error "level out of range [0-4]".
 */
export function setDebug(level: number): void {
	if (typeof level !== "number" || !Number.isInteger(level) || level < 0 || level > 4) fail("level out of range [0-4]");
	debug = debugLevel(level);
}

/** The `tls` module object, as NodeMCU's: `tls.createConnection()`, `tls.cert.verify()`, `tls.setDebug()`. */
const tls = Object.freeze({ createConnection, cert, setDebug });

export default tls;
