// luatos/socket's TLS settings: config()'s serverCert / clientCert / clientKey / clientPassword (PEM text) as the
// core's TlsSettings, and sslLog()'s level. The handshake and the certificate check are the host's
// embedded:io/socket/tcp/tls (xsnet/core/tls).
import { debugLevel, pemBlocks, PEM_CERTIFICATE, PEM_KEY } from "xsnet/core/tls";
import type { TlsSettings } from "xsnet/core/tls";

// sslLog(): the TLS library's diagnostics of the connections opened afterwards (0 off).
let debug = 0;

/** sslLog(level): 0 off, 1-2 handshake steps and alerts, 3 and more every record too (mbedTLS's levels 0..4). */
export function setSslLog(level: number): void {
	debug = debugLevel(level);
}

/**
 * config()'s certificates as TLS settings. Without serverCert the server is not verified (as LuatOS's TLS);
 * with it, it is the trusted CA and the server's certificate
 * and name are checked. clientCert and clientKey (PKCS#8 "BEGIN PRIVATE KEY", what Moddable's ssl/cert reads)
 * give mutual TLS; an encrypted key (clientPassword) is not supported.
 * @returns the settings, or an error text (config() then logs it and returns false, as LuatOS on a certificate
 *   error).
 */
export function tlsSettings(serverCert?: string | null, clientCert?: string | null, clientKey?: string | null,
	clientPassword?: string | null): TlsSettings | string {
	const settings: TlsSettings = { verify: false, debug };
	if (serverCert) {
		const ca = pemBlocks(serverCert, PEM_CERTIFICATE);
		if (!ca?.length) return "serverCert: no PEM certificate";
		settings.verify = true;
		settings.ca = ca;
	}
	if (clientCert || clientKey) {
		if (!clientCert || !clientKey) return "clientCert and clientKey go together";
		const certs = pemBlocks(clientCert, PEM_CERTIFICATE);
		if (!certs?.length) return "clientCert: no PEM certificate";
		if (clientKey.includes("ENCRYPTED") || clientPassword) return "clientKey: encrypted keys (clientPassword) are not supported";
		const keys = pemBlocks(clientKey, PEM_KEY);
		if (keys?.length !== 1) return "clientKey: no PKCS#8 key (BEGIN PRIVATE KEY; convert with openssl pkcs8 -topk8 -nocrypt)";
		settings.clientCertificates = certs;
		settings.clientKey = keys[0];
	}
	return settings;
}
