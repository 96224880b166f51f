/* xsnet/native on every platform: valid UTF-8 bytes into an XS string at copy speed (utf8Text in native.js, used by
 * src/core/utf8.ts). One portable C file over xs.h and the C library: the simulator (hosts/sim/Makefile), Moddable's
 * lin and mac, and boards (manifest.json's per-platform modules of xsnet/native) all build it.
 *
 * XS keeps strings as UTF-8 (4-byte sequences for supplementary characters, not CESU-8), NUL-terminated, so U+0000
 * is stored as C0 80 (xsCommon.c fxUTF8Encode; Moddable's text/decoder does the same): valid input is copied as it
 * is, a NUL byte becomes C0 80. Validity is WHATWG's (the Encoding Standard's UTF-8 decoder, as Node's
 * TextDecoder): no overlong forms (C0, C1 leads; E0 80..9F; F0 80..8F), no surrogates (ED A0..BF), nothing past
 * U+10FFFF (F4 90..BF; F5..FF leads), no lone continuation bytes. Anything else is left to the JS (utf8.ts), whose
 * replacement (one U+FFFD per maximal invalid subpart) must match Node's byte for byte. */
#include "xs.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One machine word, read from aligned addresses only (ESP8266 faults on unaligned loads); may_alias: the bytes are
 * an ArrayBuffer's. */
#if defined(__GNUC__)
typedef size_t __attribute__((__may_alias__)) xsnetWord;
#else
typedef size_t xsnetWord;
#endif
#define XSNET_HIGHS ((size_t)-1 / 0xFF * 0x80)    /* 0x8080...80 */
#define XSNET_BLOCK (8 * sizeof(xsnetWord))        /* bytes checked a turn, with no branch between its words */

/* The first byte of p..end that is not ASCII (>= 0x80), or end: the high bits of eight words ORed together (no
 * branch between them), then of words, then of bytes. NUL bytes are counted apart (memchr). */
static const uint8_t* xsnetSkipASCII(const uint8_t* p, const uint8_t* end)
{
	while (p < end && ((uintptr_t)p % sizeof(xsnetWord))) {
		if (*p >= 0x80)
			return p;
		p++;
	}
	for (; (size_t)(end - p) >= XSNET_BLOCK; p += XSNET_BLOCK) {
		const xsnetWord* w = (const xsnetWord*)(const void*)p;
		if ((w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7]) & XSNET_HIGHS)
			break;
	}
	for (; (size_t)(end - p) >= sizeof(xsnetWord); p += sizeof(xsnetWord)) {
		if (*(const xsnetWord*)(const void*)p & XSNET_HIGHS)
			break;
	}
	while (p < end && *p < 0x80)
		p++;
	return p;
}

/* NUL bytes in p[0..n) (each takes 2 bytes in an XS string). */
static size_t xsnetCountNULs(const uint8_t* p, size_t n)
{
	size_t count = 0;
	const uint8_t* zero;
	while (n && (zero = (const uint8_t*)memchr(p, 0, n))) {
		count++;
		n -= (size_t)(zero - p) + 1;
		p = zero + 1;
	}
	return count;
}

/* Continuation bytes a lead byte takes; 0 when it leads no valid sequence (80..C1, F5..FF). */
static int xsnetNeeded(uint8_t lead)
{
	if (lead < 0xC2)
		return 0;
	if (lead < 0xE0)
		return 1;
	if (lead < 0xF0)
		return 2;
	return lead < 0xF5 ? 3 : 0;
}

/* Whether `b` can be continuation byte `index` (1..3) of a sequence led by `lead` (WHATWG's bounds). */
static int xsnetContinues(uint8_t lead, int index, uint8_t b)
{
	if (index == 1) {
		if (lead == 0xE0)
			return b >= 0xA0 && b <= 0xBF;
		if (lead == 0xED)
			return b >= 0x80 && b <= 0x9F;
		if (lead == 0xF0)
			return b >= 0x90 && b <= 0xBF;
		if (lead == 0xF4)
			return b >= 0x80 && b <= 0x8F;
	}
	return b >= 0x80 && b <= 0xBF;
}

/* Check p[0..n): 0 when it holds an invalid sequence; else 1 with *used the bytes of its whole characters (the
 * n - *used <= 3 after them: a sequence cut by the end, valid so far) and *nuls the NUL bytes among them. */
static int xsnetScanUTF8(const uint8_t* p, size_t n, size_t* used, size_t* nuls)
{
	const uint8_t* start = p;
	const uint8_t* end = p + n;
	for (;;) {
		uint8_t lead;
		int need, k;
		size_t after;
		p = xsnetSkipASCII(p, end);
		if (p == end)
			break;
		lead = *p;
		need = xsnetNeeded(lead);
		if (!need)
			return 0;
		after = (size_t)(end - p) - 1;
		for (k = 1; k <= need && (size_t)k <= after; k++) {
			if (!xsnetContinues(lead, k, p[k]))
				return 0;
		}
		if (k <= need)
			break;                                 /* cut by the end */
		p += need + 1;
	}
	*used = (size_t)(p - start);
	*nuls = xsnetCountNULs(start, *used);
	return 1;
}

/* A carried sequence as one integer: its length (1..3) << 24, then its bytes from bit 16 down. */
static xsIntegerValue xsnetPack(const uint8_t* bytes, int count)
{
	xsIntegerValue packed = (xsIntegerValue)count << 24;
	int i;
	for (i = 0; i < count; i++)
		packed |= (xsIntegerValue)bytes[i] << (16 - 8 * i);
	return packed;
}

/*
 * utf8Text(buffer, offset, length[, carry, decoder]) -> string | undefined
 *   buffer: an ArrayBuffer; offset, length: the bytes to decode, in bytes, within it (else RangeError; a buffer
 *   that is no ArrayBuffer: TypeError).
 *   carry: 0 (or undefined), or the start of a sequence the previous chunk ended with, packed as
 *   length (1..3) << 24 | byte0 << 16 | byte1 << 8 | byte2 (RangeError when it is no such start).
 *   decoder: an object whose `carry` property is set to the new packed carry (0 for none) when it changes; without
 *   it (a message on its own), a sequence cut by the end makes the input invalid.
 * Returns the text of the carried bytes and the chunk's whole characters, the chunk's cut last sequence (<= 3
 * bytes) carried; undefined, carry untouched, when the bytes are not valid UTF-8 (see the top of this file): the
 * caller then decodes them with WHATWG's replacement rules. The string is made first, then the bytes are read
 * again, as making it can run the collector, which may move the buffer's data.
 */
void xs_native_utf8_text(xsMachine* the)
{
	xsIntegerValue argc = xsToInteger(xsArgc);
	xsIntegerValue offset, length, size, carry = 0, next = 0;
	int stream = argc > 4 && xsTypeOf(xsArg(4)) == xsReferenceType;
	uint8_t head[4];
	int have = 0, total = 0;
	size_t start = 0, used, nuls, bytes;
	const uint8_t* data;
	char* text;
	if (argc < 3)
		xsTypeError("utf8Text(buffer, offset, length[, carry, decoder])");
	/* The numbers first: converting an object runs the program (valueOf), which may detach, resize or move the
	 * buffer (the collector); its address and length are read only after that. */
	offset = xsToInteger(xsArg(1));
	length = xsToInteger(xsArg(2));
	if (argc > 3 && xsTypeOf(xsArg(3)) != xsUndefinedType)
		carry = xsToInteger(xsArg(3));
	data = (const uint8_t*)xsToArrayBuffer(xsArg(0));
	size = xsGetArrayBufferLength(xsArg(0));
	if (offset < 0 || offset > size || length < 0 || length > size - offset)
		xsRangeError("out of range: %d bytes at %d of %d", (int)length, (int)offset, (int)size);
	data += offset;
	if (carry) {
		have = (int)((uint32_t)carry >> 24);
		head[0] = (uint8_t)(carry >> 16);
		head[1] = (uint8_t)(carry >> 8);
		head[2] = (uint8_t)carry;
		total = xsnetNeeded(head[0]) + 1;
		if (!stream || have < 1 || have >= total || (carry & ~xsnetPack(head, have)))
			xsRangeError("invalid carry %d", (int)carry);
		for (int i = 1; i < have; i++) {
			if (!xsnetContinues(head[0], i, head[i]))
				xsRangeError("invalid carry %d", (int)carry);
		}
		while (have < total && start < (size_t)length) {
			if (!xsnetContinues(head[0], have, data[start]))
				return;                                /* invalid: undefined */
			head[have++] = data[start++];
		}
		if (have < total) {                            /* still cut: the whole chunk joins the carry */
			xsResult = xsString("");
			xsSet(xsArg(4), xsID("carry"), xsInteger(xsnetPack(head, have)));
			return;
		}
	}
	if (!xsnetScanUTF8(data + start, (size_t)length - start, &used, &nuls))
		return;
	if (start + used < (size_t)length) {
		if (!stream)
			return;                                    /* a message on its own, cut short: invalid */
		next = xsnetPack(data + start + used, (int)((size_t)length - start - used));
	}
	bytes = (size_t)total + used + nuls;
	if (bytes > 0x7FFFFFF0)
		xsRangeError("text too long");
	xsResult = xsStringBuffer(NULL, (xsIntegerValue)bytes);
	text = xsToString(xsResult);
	data = (const uint8_t*)xsToArrayBuffer(xsArg(0)) + offset + start;   /* after the allocation */
	memcpy(text, head, (size_t)total);
	text += total;
	if (!nuls)
		memcpy(text, data, used);
	else {
		const uint8_t* end = data + used;
		while (data < end) {
			const uint8_t* zero = (const uint8_t*)memchr(data, 0, (size_t)(end - data));
			size_t run = (size_t)((zero ? zero : end) - data);
			memcpy(text, data, run);
			text += run;
			data += run;
			if (zero) {
				*text++ = (char)0xC0;                  /* U+0000 as XS stores it */
				*text++ = (char)0x80;
				data++;
			}
		}
	}
	if (next != carry)
		xsSet(xsArg(4), xsID("carry"), xsInteger(next));
}
