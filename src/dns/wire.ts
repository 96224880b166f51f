// The DNS wire format (RFC 1035) as xsnet's resolver needs it: encode a recursive A query, and read what a
// response says about the name asked. Pure functions over bytes: no socket, no timer, no state.
import { DNS_NAME_MAX, DNS_LABEL_MAX, DNS_CNAME_HOPS_MAX } from "xsnet/core/limits";

const HEADER_LENGTH = 12;
const TYPE_A = 1;
const TYPE_CNAME = 5;
const CLASS_IN = 1;
const FLAG_QR = 0x8000;
const FLAG_RD = 0x0100;
const RCODE_NXDOMAIN = 3;
const POINTER_JUMPS_MAX = 32;

/**
 * What a response says about the A record of the name asked:
 * - "address": the A records of the name, or of the end of its CNAME chain inside the same answer, in answer
 *   order (`addresses`, at least one; `address` is the first);
 * - "nxdomain": RCODE 3, the name does not exist;
 * - "nodata": RCODE 0 without such an A record;
 * - "servfail": any other RCODE (SERVFAIL, REFUSED, ...);
 * - "ignore": not a response to this question (a query, another opcode, another question).
 */
export type ParsedAnswer =
	| { kind: "address"; address: string; addresses: string[] }
	| { kind: "nxdomain" | "nodata" | "servfail" | "ignore" };

/**
 * A standard recursive query (RD set) for the A record (class IN) of `name`, with message id `id` (0..65535).
 * `name` is taken as given (the caller lower-cases it and drops a trailing dot), labels separated by ".".
 * @throws TypeError "invalid host name" when a label is empty or over DNS_LABEL_MAX bytes, or the name over
 *   DNS_NAME_MAX bytes.
 */
export function encodeQuery(name: string, id: number): ArrayBuffer {
	const labels = name.split(".");
	const encoded: Uint8Array[] = [];
	let length = 0;
	for (const label of labels) {
		const bytes = new Uint8Array(ArrayBuffer.fromString(label));
		if (!bytes.length || bytes.length > DNS_LABEL_MAX) throw new TypeError("invalid host name");
		encoded.push(bytes);
		length += 1 + bytes.length;
	}
	if (length - 1 > DNS_NAME_MAX) throw new TypeError("invalid host name");
	const out = new Uint8Array(HEADER_LENGTH + length + 1 + 4);
	out[0] = (id >> 8) & 0xFF;
	out[1] = id & 0xFF;
	out[2] = FLAG_RD >> 8;
	out[5] = 1;          // QDCOUNT
	let o = HEADER_LENGTH;
	for (const bytes of encoded) {
		out[o++] = bytes.length;
		out.set(bytes, o);
		o += bytes.length;
	}
	out[o++] = 0;
	out[o + 1] = TYPE_A;
	out[o + 3] = CLASS_IN;
	return out.buffer;
}

/** The message id of a DNS message, or undefined when `bytes` is shorter than a header. */
export function messageId(bytes: Uint8Array): number | undefined {
	return bytes.length < HEADER_LENGTH ? undefined : (bytes[0] << 8) | bytes[1];
}

/** Read a (possibly compressed) name at `offset`: returns [lower-case name, offset after it]. Throws when malformed. */
function readName(bytes: Uint8Array, offset: number): [string, number] {
	const labels: string[] = [];
	let end = -1;
	let jumps = 0;
	let total = 0;
	for (;;) {
		if (offset >= bytes.length) throw new Error("truncated");
		const len = bytes[offset];
		if (len === 0) {
			offset++;
			break;
		}
		if ((len & 0xC0) === 0xC0) {
			if (offset + 1 >= bytes.length || ++jumps > POINTER_JUMPS_MAX) throw new Error("bad pointer");
			if (end < 0) end = offset + 2;
			offset = ((len & 0x3F) << 8) | bytes[offset + 1];
			continue;
		}
		if (len & 0xC0) throw new Error("bad label");
		if (offset + 1 + len > bytes.length) throw new Error("truncated");
		total += len + 1;
		if (total > DNS_NAME_MAX + 1) throw new Error("name too long");
		labels.push(String.fromArrayBuffer(bytes.slice(offset + 1, offset + 1 + len).buffer).toLowerCase());
		offset += 1 + len;
	}
	return [labels.join("."), end < 0 ? offset : end];
}

const u16 = (bytes: Uint8Array, offset: number) => (bytes[offset] << 8) | bytes[offset + 1];

/**
 * Decide what the response `bytes` says about the A query for `name` (lower case, no trailing dot). The caller has
 * matched the message id and the sender. CNAME chains inside the answer section are followed, in any record
 * order, up to DNS_CNAME_HOPS_MAX hops.
 * @throws Error when the message is malformed (truncated, a bad label or compression pointer): treat it as lost.
 */
export function parseResponse(bytes: Uint8Array, name: string): ParsedAnswer {
	if (bytes.length < HEADER_LENGTH) throw new Error("truncated");
	const flags = u16(bytes, 2);
	if (!(flags & FLAG_QR)) return { kind: "ignore" };            // not a response
	if ((flags >> 11) & 0xF) return { kind: "ignore" };           // not a standard query
	const qdcount = u16(bytes, 4);
	const ancount = u16(bytes, 6);
	let offset = HEADER_LENGTH;
	let asked = qdcount === 0;
	for (let i = 0; i < qdcount; i++) {
		const [qname, next] = readName(bytes, offset);
		if (next + 4 > bytes.length) throw new Error("truncated");
		if (qname === name && u16(bytes, next) === TYPE_A && u16(bytes, next + 2) === CLASS_IN) asked = true;
		offset = next + 4;
	}
	if (!asked) return { kind: "ignore" };                       // an answer to another question
	const rcode = flags & 0xF;
	if (rcode === RCODE_NXDOMAIN) return { kind: "nxdomain" };
	if (rcode !== 0) return { kind: "servfail" };
	const cnames = new Map<string, string>();
	const addresses = new Map<string, string[]>();     // name -> its A records, in answer order
	for (let i = 0; i < ancount; i++) {
		const [rname, next] = readName(bytes, offset);
		if (next + 10 > bytes.length) throw new Error("truncated");
		const type = u16(bytes, next);
		const rdlength = u16(bytes, next + 8);
		const rdata = next + 10;
		if (rdata + rdlength > bytes.length) throw new Error("truncated");
		if (u16(bytes, next + 2) === CLASS_IN) {
			if (type === TYPE_A && rdlength === 4) {
				const address = `${bytes[rdata]}.${bytes[rdata + 1]}.${bytes[rdata + 2]}.${bytes[rdata + 3]}`;
				const list = addresses.get(rname);
				if (list) list.push(address);
				else addresses.set(rname, [address]);
			}
			else if (type === TYPE_CNAME && !cnames.has(rname))
				cnames.set(rname, readName(bytes, rdata)[0]);
		}
		offset = rdata + rdlength;
	}
	let target = name;
	for (let hop = 0; hop <= DNS_CNAME_HOPS_MAX; hop++) {
		const list = addresses.get(target);
		if (list !== undefined) return { kind: "address", address: list[0], addresses: list };
		const alias = cnames.get(target);
		if (alias === undefined) break;
		target = alias;
	}
	return { kind: "nodata" };
}
