// TLS settings shared by both personalities: PEM text to the DER that ECMA-419's TLS socket takes, and the
// options of `embedded:io/socket/tcp/tls` (Moddable's TLSSocket over the SDK's ssl/session on a board, OpenSSL in
// the simulator) for one connection. The handshake and the certificate check are the host module's; the core's
// TcpConnection only waits for them (TcpConnection.tls, TLS_HANDSHAKE_MS).
// TLS is opt-in, as NodeMCU's firmware module is: only a build whose manifest includes xsnet's manifest_tls.json has
// the TLS socket (and the SDK's crypto modules on a board). Nothing here imports it: it is found at run time with
// Moddable's `modules` module (Modules.has / importNow; preloaded modules included), never while preloading.
import Modules from "modules";

/** The host's TLS socket module (ECMA-419). */
export const TLS_SOCKET = "embedded:io/socket/tcp/tls";
/** What a build without TLS says when asked for it. */
export const NO_TLS = "TLS is not in this build: include xsnet's manifest_tls.json in the app's manifest";

/** True when this build has TLS (its manifest included xsnet's manifest_tls.json). Not while preloading. */
export function hasTls(): boolean {
	return Modules.has(TLS_SOCKET);
}

/** What a personality decided for its TLS connections. All DER. */
export interface TlsSettings {
	/** false: no certificate check at all (NodeMCU tls.cert.verify(false); LuatOS without serverCert) */
	verify: boolean;
	/** trusted CAs; none: the host's own store (the simulator: OpenSSL's default; Moddable: its ca resources) */
	ca?: ArrayBuffer[];
	/** client certificate chain and its PKCS#8 key (mutual TLS) */
	clientCertificates?: ArrayBuffer[];
	clientKey?: ArrayBuffer;
	/** host library diagnostics: 0 off */
	debug?: number;
}

/**
 * The `secure` options xsnet gives embedded:io/socket/tcp/tls (see types/, its SecureOptions). Declared here, not
 * imported: a build without TLS has no declaration of that module for the app's tsc to find.
 */
export interface SecureOptions {
	certificate?: ArrayBuffer | ArrayBuffer[];
	verify?: boolean;
	clientCertificates?: ArrayBuffer[];
	clientKey?: ArrayBuffer;
	trace?: boolean | number;
}

/** What TcpConnection needs to open a TLS socket instead of a TCP one. */
export interface TlsTarget {
	io: new (options: object) => unknown;
	host: string;
	secure: SecureOptions;
}

/**
 * The options for one connection to `host` (a name, or an IPv4 literal: then its IP subjectAltName is checked and
 * no SNI is sent). Moddable's ssl/session trusts one CA (the first); so does the simulator by default.
 * @throws Error NO_TLS in a build without TLS.
 */
export function tlsTarget(host: string, settings: TlsSettings): TlsTarget {
	if (!hasTls()) throw new Error(NO_TLS);
	const TLSSocket = Modules.importNow(TLS_SOCKET);
	const secure: SecureOptions = { verify: settings.verify };
	const ca = settings.ca;
	if (ca?.length) secure.certificate = ca.length === 1 ? ca[0] : ca;
	if (settings.clientCertificates?.length) {
		secure.clientCertificates = settings.clientCertificates;
		secure.clientKey = settings.clientKey;
	}
	if (settings.debug) secure.trace = settings.debug;
	return { io: TLSSocket as unknown as TlsTarget["io"], host, secure };
}

/**
 * mbedTLS's debug level 0..4 (what NodeMCU's tls.setDebug and LuatOS's sslLog take) as TlsSettings.debug: 0 off,
 * 1 (levels 1-2) the handshake steps and alerts, 2 (levels 3-4) every record too.
 */
export function debugLevel(level: number): number {
	return level <= 0 ? 0 : level <= 2 ? 1 : 2;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** RFC 4648 base64 (the body of a PEM block; white space ignored) to bytes; undefined when malformed. */
function base64(text: string): Uint8Array | undefined {
	const clean = text.replace(/[\s=]+/g, "");
	if (clean.length % 4 === 1) return undefined;
	const out = new Uint8Array((clean.length * 3) >> 2);
	let bits = 0, value = 0, j = 0;
	for (let i = 0; i < clean.length; i++) {
		const v = B64.indexOf(clean[i]);
		if (v < 0) return undefined;
		value = (value << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[j++] = (value >> bits) & 255;
		}
	}
	return out;
}

/**
 * The DER blocks of PEM `text` whose label is one of `labels` ("CERTIFICATE", "PRIVATE KEY"), in order.
 * @returns [] when there is none; undefined when a block is malformed.
 */
export function pemBlocks(text: string, labels: readonly string[]): ArrayBuffer[] | undefined {
	const out: ArrayBuffer[] = [];
	const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		if (!labels.includes(m[1])) continue;
		const der = base64(m[2]);
		if (!der || !der.length) return undefined;
		out.push(der.buffer as ArrayBuffer);
	}
	return out;
}

/** The PEM labels of what a personality's TLS accepts: certificates; PKCS#8 keys only (Moddable's ssl/cert). */
export const PEM_CERTIFICATE = Object.freeze(["CERTIFICATE"]);
export const PEM_KEY = Object.freeze(["PRIVATE KEY"]);
