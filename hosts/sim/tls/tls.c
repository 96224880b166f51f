/* xsnet simulator: the crypto half of `embedded:io/socket/tcp/tls` (hosts/sim/js/tls.js), a TLS client session
 * on OpenSSL's libssl with memory BIOs. No socket here: tls.js moves the ciphertext over the simulator's
 * ECMA-419 TCP class, as Moddable's TLSSocket moves its ssl/session records over a board's TCP socket.
 *
 * new TLSSession(options): options.serverName (string: sent as SNI), options.name (host name or IPv4 literal the
 * certificate must match; none = no name check), options.ca (DER ArrayBuffer or array of them: the trusted CAs;
 * none = OpenSSL's default store), options.verify (false: no certificate check), options.certificate and
 * options.key (DER: client certificate and its PKCS#8 key), options.minVersion / options.maxVersion (0x0303 TLS
 * 1.2, 0x0304 TLS 1.3), options.debug (0 off, 1 handshake states and alerts, 2 also every record) on stderr.
 * Errors: TypeError/Error with OpenSSL's reason ("certificate verify failed: ...") for bad options; handshake()
 * and read() throw Error with the reason when the handshake or the session fails.
 *
 * Boards' limits (the Moddable SDK's ssl/session, measured with `npm run check:moddable`, app tls-limits) are the
 * default here, so that what works in the simulator works on a board: TLS 1.2 only (a maxVersion of TLS 1.3 is
 * lowered, a minVersion of TLS 1.3 refused), one trusted CA (the first of options.ca), and with verification on, a
 * server that sends its certificate without its issuer is refused. Each refusal prints why on stderr
 * ("xsnet-tls: refused as on a board: ..."). The environment variable XSNET_TLS_BEYOND_BOARDS=1 lifts them all
 * (OpenSSL's TLS 1.2 and 1.3, every CA given, a leaf alone accepted): a simulator-only option. */
#include "../engine.h"
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

typedef struct {
	SSL_CTX* ctx;
	SSL* ssl;
	BIO* in;      /* ciphertext from the peer, put() */
	BIO* out;     /* ciphertext for the peer, take() */
	int debug;
	int boards;   /* the boards' limits apply (the default; XSNET_TLS_BEYOND_BOARDS=1 lifts them) */
	int verify;
	int cas;      /* CAs given (a board trusts the first only) */
} simTLS;

#define SIM_TLS_LIFT "XSNET_TLS_BEYOND_BOARDS=1 lifts it in the simulator"

/* Whether the boards' limits apply: unless XSNET_TLS_BEYOND_BOARDS is set to 1. */
static int simTLSBoards(void)
{
	const char* lift = getenv("XSNET_TLS_BEYOND_BOARDS");
	return !(lift && !strcmp(lift, "1"));
}

/* A refusal that only the boards' limits make: said on stderr (the application sees -28 only), then thrown. */
static void simTLSRefuse(xsMachine* the, const char* reason)
{
	fprintf(stderr, "xsnet-tls: refused as on a board: %s (" SIM_TLS_LIFT ")\n", reason);
	xsUnknownError("%s", reason);
}

void xs_tls_destructor(void* data)
{
	simTLS* tls = data;
	if (!tls)
		return;
	if (tls->ssl)
		SSL_free(tls->ssl);       /* frees both BIOs */
	if (tls->ctx)
		SSL_CTX_free(tls->ctx);
	free(tls);
}

static simTLS* simTLSGet(xsMachine* the)
{
	simTLS* tls = fxGetHostDataValidate(the, &xsThis, (void*)xs_tls_destructor);
	if (!tls)
		xsSyntaxError("closed");
	return tls;
}

/* The reason of the last failure: the certificate check's, else OpenSSL's first queued error. */
static void simTLSThrow(xsMachine* the, simTLS* tls, const char* what)
{
	char reason[256];
	long verify = tls->ssl ? SSL_get_verify_result(tls->ssl) : X509_V_OK;
	unsigned long e = ERR_get_error();
	int lib = ERR_GET_LIB(e), why = ERR_GET_REASON(e);
	if (verify != X509_V_OK)
		snprintf(reason, sizeof(reason), "certificate verify failed: %s", X509_verify_cert_error_string(verify));
	else if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	else
		snprintf(reason, sizeof(reason), "%s", what);
	ERR_clear_error();
	if (tls->boards && lib == ERR_LIB_SSL && (why == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION
			|| why == SSL_R_UNSUPPORTED_PROTOCOL || why == SSL_R_WRONG_VERSION_NUMBER)) {
		char board[400];
		snprintf(board, sizeof(board), "%s: the server refuses TLS 1.2 (it wants TLS 1.3?); boards speak TLS 1.2 "
			"only (ssl/session)", reason);
		simTLSRefuse(the, board);
	}
	if (tls->boards && tls->cas > 1 && (verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
			|| verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT || verify == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
			|| verify == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN || verify == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)) {
		char board[400];
		snprintf(board, sizeof(board), "%s: boards trust one CA, the first given (ssl/session); %d were given",
			reason, tls->cas);
		simTLSRefuse(the, board);
	}
	if (tls->debug)
		fprintf(stderr, "xsnet-tls: %s\n", reason);
	xsUnknownError("%s", reason);
}

static void simTLSInfo(const SSL* ssl, int where, int ret)
{
	if (where & SSL_CB_ALERT)
		fprintf(stderr, "xsnet-tls: alert %s %s\n", (where & SSL_CB_READ) ? "received" : "sent",
			SSL_alert_desc_string_long(ret));
	else if (where & SSL_CB_LOOP)
		fprintf(stderr, "xsnet-tls: %s\n", SSL_state_string_long(ssl));
	else if (where & SSL_CB_HANDSHAKE_DONE)
		fprintf(stderr, "xsnet-tls: handshake done, %s %s\n", SSL_get_version(ssl), SSL_get_cipher(ssl));
}

static void simTLSMessage(int write, int version, int type, const void* buf, size_t len, SSL* ssl, void* arg)
{
	if (type == SSL3_RT_HEADER)
		fprintf(stderr, "xsnet-tls: %s record, %zu bytes\n", write ? "sent" : "received", len);
}

/* DER bytes of `slot` (ArrayBuffer or view) as an X509 / private key; throws with `what` when they are not. */
static X509* simTLSCertificate(xsMachine* the, xsSlot* slot, const char* what)
{
	void* data;
	xsUnsignedValue count;
	const unsigned char* p;
	X509* x;
	xsmcGetBufferReadable(*slot, &data, &count);
	p = data;
	x = d2i_X509(NULL, &p, (long)count);
	if (!x) {
		ERR_clear_error();
		xsTypeError("%s: not a DER certificate", what);
	}
	return x;
}

void xs_tls_constructor(xsMachine* the)
{
	simTLS* tls = calloc(1, sizeof(simTLS));
	int verify = 1, i, length;
	long version;
	xsVars(3);
	if (!tls)
		xsUnknownError("out of memory");
	xsSetHostData(xsThis, tls);
	xsSetHostDestructor(xsThis, xs_tls_destructor);
	tls->ctx = SSL_CTX_new(TLS_client_method());
	if (!tls->ctx)
		simTLSThrow(the, tls, "SSL_CTX_new");
	xsVar(0) = xsGet(xsArg(0), xsID("debug"));
	if (xsTest(xsVar(0)))
		tls->debug = xsToInteger(xsVar(0));
	xsVar(0) = xsGet(xsArg(0), xsID("verify"));
	if (xsTypeOf(xsVar(0)) != xsUndefinedType && !xsTest(xsVar(0)))
		verify = 0;
	tls->boards = simTLSBoards();
	tls->verify = verify;
	version = TLS1_2_VERSION;
	xsVar(0) = xsGet(xsArg(0), xsID("minVersion"));
	if (xsTest(xsVar(0)))
		version = xsToInteger(xsVar(0));
	if (tls->boards && version > TLS1_2_VERSION)
		xsRangeError("minVersion TLS 1.3: boards speak TLS 1.2 only (ssl/session); " SIM_TLS_LIFT);
	if (!SSL_CTX_set_min_proto_version(tls->ctx, version))
		xsRangeError("unsupported minVersion 0x%lx", version);
	xsVar(0) = xsGet(xsArg(0), xsID("maxVersion"));
	version = xsTest(xsVar(0)) ? xsToInteger(xsVar(0)) : 0;
	if (tls->boards && (!version || version > TLS1_2_VERSION))
		version = TLS1_2_VERSION;      /* a board's module ignores maxVersion: it speaks TLS 1.2 */
	if (version && !SSL_CTX_set_max_proto_version(tls->ctx, version))
		xsRangeError("unsupported maxVersion");
	if (verify) {
		X509_STORE* store = SSL_CTX_get_cert_store(tls->ctx);
		xsVar(0) = xsGet(xsArg(0), xsID("ca"));
		if (xsTest(xsVar(0))) {
			int array = xsIsInstanceOf(xsVar(0), xsArrayPrototype);
			length = array ? xsToInteger(xsGet(xsVar(0), xsID("length"))) : 1;
			tls->cas = length;
			if (tls->boards && length > 1)
				length = 1;                /* ssl/session trusts one CA: the first */
			for (i = 0; i < length; i++) {
				X509* x;
				xsVar(1) = array ? xsGetAt(xsVar(0), xsInteger(i)) : xsVar(0);
				x = simTLSCertificate(the, &xsVar(1), "ca");
				X509_STORE_add_cert(store, x);
				X509_free(x);
			}
		}
		else
			SSL_CTX_set_default_verify_paths(tls->ctx);
		SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_PEER, NULL);
	}
	else
		SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_NONE, NULL);
	xsVar(0) = xsGet(xsArg(0), xsID("certificate"));
	if (xsTest(xsVar(0))) {
		X509* x = simTLSCertificate(the, &xsVar(0), "certificate");
		void* data;
		xsUnsignedValue count;
		const unsigned char* p;
		EVP_PKEY* key;
		int ok = SSL_CTX_use_certificate(tls->ctx, x);
		X509_free(x);
		if (!ok)
			simTLSThrow(the, tls, "client certificate refused");
		xsVar(1) = xsGet(xsArg(0), xsID("key"));
		if (!xsTest(xsVar(1)))
			xsTypeError("key: required with certificate");
		xsmcGetBufferReadable(xsVar(1), &data, &count);
		p = data;
		key = d2i_AutoPrivateKey(NULL, &p, (long)count);
		if (!key) {
			ERR_clear_error();
			xsTypeError("key: not a DER private key");
		}
		ok = SSL_CTX_use_PrivateKey(tls->ctx, key);
		EVP_PKEY_free(key);
		if (!ok || !SSL_CTX_check_private_key(tls->ctx))
			simTLSThrow(the, tls, "client key does not match the certificate");
	}
	if (tls->debug)
		SSL_CTX_set_info_callback(tls->ctx, simTLSInfo);
	tls->ssl = SSL_new(tls->ctx);
	tls->in = BIO_new(BIO_s_mem());
	tls->out = BIO_new(BIO_s_mem());
	if (!tls->ssl || !tls->in || !tls->out)
		simTLSThrow(the, tls, "out of memory");
	SSL_set_bio(tls->ssl, tls->in, tls->out);
	SSL_set_connect_state(tls->ssl);
	SSL_set_mode(tls->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE);
	if (tls->debug > 1)
		SSL_set_msg_callback(tls->ssl, simTLSMessage);
	xsVar(0) = xsGet(xsArg(0), xsID("serverName"));
	if (xsTest(xsVar(0)) && !SSL_set_tlsext_host_name(tls->ssl, xsToString(xsVar(0))))
		simTLSThrow(the, tls, "invalid serverName");
	xsVar(0) = xsGet(xsArg(0), xsID("name"));
	if (verify && xsTest(xsVar(0))) {
		X509_VERIFY_PARAM* param = SSL_get0_param(tls->ssl);
		const char* name = xsToString(xsVar(0));
		/* a literal address is checked against the IP subjectAltName, a name against the DNS names */
		if (!X509_VERIFY_PARAM_set1_ip_asc(param, name)) {
			ERR_clear_error();
			X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
			if (!X509_VERIFY_PARAM_set1_host(param, name, 0))
				simTLSThrow(the, tls, "invalid host name");
		}
	}
}

/* Advance the handshake: true when it is done, false while it waits for the peer. Throws when it failed. */
void xs_tls_handshake(xsMachine* the)
{
	simTLS* tls = simTLSGet(the);
	int r = SSL_do_handshake(tls->ssl);
	if (r == 1) {
		/* ssl/session checks the server's name only against a certificate followed by its issuer: a leaf sent
		 * alone fails with "subjectAltName match failed" while verification is on */
		STACK_OF(X509)* chain = SSL_get_peer_cert_chain(tls->ssl);
		if (tls->boards && tls->verify && chain && sk_X509_num(chain) < 2)
			simTLSRefuse(the, "the server sent its certificate without its issuer; boards (ssl/session) then "
				"refuse it (\"subjectAltName match failed\"): make the server send leaf + CA");
		xsResult = xsTrue;
		return;
	}
	switch (SSL_get_error(tls->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		xsResult = xsFalse;
		return;
	default:
		simTLSThrow(the, tls, "handshake failed");
	}
}

/* Ciphertext received from the peer. */
void xs_tls_put(xsMachine* the)
{
	simTLS* tls = simTLSGet(the);
	void* data;
	xsUnsignedValue count;
	xsmcGetBufferReadable(xsArg(0), &data, &count);
	if (count && BIO_write(tls->in, data, (int)count) != (int)count)
		xsUnknownError("out of memory");
}

/* Ciphertext for the peer, as one ArrayBuffer; undefined when there is none. */
void xs_tls_take(xsMachine* the)
{
	simTLS* tls = simTLSGet(the);
	size_t pending = BIO_ctrl_pending(tls->out);
	if (!pending)
		return;
	xsResult = xsArrayBuffer(NULL, (xsIntegerValue)pending);
	BIO_read(tls->out, xsToArrayBuffer(xsResult), (int)pending);
}

/* Plaintext received, at most `max` bytes: an ArrayBuffer; undefined when more ciphertext is needed; null when
 * the peer sent close_notify. Throws on a failed session. */
void xs_tls_read(xsMachine* the)
{
	simTLS* tls = simTLSGet(the);
	int max = xsToInteger(xsArg(0)), r;
	size_t got = 0;
	if (max <= 0)
		xsRangeError("invalid count");
	xsResult = xsArrayBuffer(NULL, max);
	r = SSL_read_ex(tls->ssl, xsToArrayBuffer(xsResult), (size_t)max, &got);
	if (r == 1) {
		if ((int)got < max)
			xsSetArrayBufferLength(xsResult, (xsIntegerValue)got);
		return;
	}
	switch (SSL_get_error(tls->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		xsResult = xsUndefined;
		return;
	case SSL_ERROR_ZERO_RETURN:
		xsResult = xsNull;
		return;
	default:
		simTLSThrow(the, tls, "read failed");
	}
}

/* Encrypt the plaintext of `buffer` (ArrayBuffer or view); returns the bytes taken (all of them). With
 * SSL_MODE_ENABLE_PARTIAL_WRITE one SSL_write_ex takes one record (16 KiB) at most: loop until all are taken (the
 * memory BIO never refuses), else the rest of a larger write would be lost. */
void xs_tls_write(xsMachine* the)
{
	simTLS* tls = simTLSGet(the);
	void* data;
	xsUnsignedValue count;
	size_t done = 0;
	xsmcGetBufferReadable(xsArg(0), &data, &count);
	while (done < count) {
		size_t n = 0;
		if (SSL_write_ex(tls->ssl, (const uint8_t*)data + done, count - done, &n) != 1 || !n)
			simTLSThrow(the, tls, "write failed");
		done += n;
	}
	xsResult = xsInteger((xsIntegerValue)done);
}

/* Queue close_notify (take() returns it). */
void xs_tls_shutdown(xsMachine* the)
{
	simTLS* tls = simTLSGet(the);
	SSL_shutdown(tls->ssl);
	ERR_clear_error();
}

void xs_tls_close(xsMachine* the)
{
	simTLS* tls = fxGetHostDataValidate(the, &xsThis, (void*)xs_tls_destructor);
	if (!tls)
		return;
	xsSetHostData(xsThis, NULL);
	xsSetHostDestructor(xsThis, NULL);
	xs_tls_destructor(tls);
}

/* "TLSv1.3", "TLSv1.2" once the handshake is done. */
void xs_tls_get_protocol(xsMachine* the)
{
	simTLS* tls = simTLSGet(the);
	xsResult = xsString(SSL_get_version(tls->ssl));
}
