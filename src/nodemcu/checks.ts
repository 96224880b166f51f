// Argument checks of nodemcu/net, with NodeMCU's error messages (net.c's luaL_error texts).
import { toBytes } from "xsnet/core/bytes";
import type { ReceiveFormat } from "xsnet/core/tcp";
import { isValidHostName } from "xsnet/core/dns";
import { parseIPv4 } from "xsnet/core/ip";
import { DNS_SERVERS_MAX, SERVER_TIMEOUT_DEFAULT_S, SERVER_TIMEOUT_MIN_S, SERVER_TIMEOUT_MAX_S } from "xsnet/core/limits";
import { toPort, toInteger, isNumberLike } from "xsnet/core/lua";
import type { Fn } from "nodemcu/types";

/** Throw Error(`message`): NodeMCU's luaL_error, whose messages the callers pass as net.c words them. */
export function fail(message: string): never {
	throw new Error(message);
}

/** A callback argument: a function, or null/undefined for "none"; else "invalid callback function". */
export function optionalCallback(fn: unknown): Fn | undefined {
	if (fn === undefined || fn === null) return undefined;
	if (typeof fn !== "function") fail("invalid callback function");
	return fn as Fn;
}

/**
 * Arguments of listen([port], [ip], [fn]) as net.c reads them: a leading number (or numeric string) is the
 * port, then a string is the IP address, then the function. undefined/null stand for an omitted argument when
 * more arguments follow.
 */
export function listenArguments(args: ArrayLike<unknown>): { port: number; ip: string; fn: unknown } {
	let i = 0;
	let port = 0;
	let ip = "0.0.0.0";
	if (isNumberLike(args[0])) {
		const p = toPort(args[0]);
		if (p === undefined) fail("invalid port");
		port = p;
		i++;
	}
	else if (args[0] == null && args.length > 1) i++;
	if (typeof args[i] === "string") {
		const a = parseIPv4(args[i]);
		if (a === undefined) fail("invalid IP address");
		ip = a;
		i++;
	}
	else if (args[i] == null && i < args.length - 1) i++;
	return { port, ip, fn: args[i] };
}

/** The data of send(): bytes, or NodeMCU's errors. */
export function sendBytes(data: unknown): Uint8Array {
	const bytes = toBytes(data);
	if (!bytes) fail("wrong arg type");
	if (!bytes.length) fail("no data to send");
	return bytes;
}

/**
 * A value for the `format` property of sockets (an ECMA-419 term): "string" (UTF-8 text) or "buffer" (ArrayBuffer).
 * @throws Error 'invalid format (use "string" or "buffer")'.
 */
export function checkFormat(value: unknown): ReceiveFormat {
	if (value !== "string" && value !== "buffer") fail('invalid format (use "string" or "buffer")');
	return value;
}

/** The host's error for a failed bind, in NodeMCU's words where it has some (lwip_lua_checkerr). */
export function bindError(e: unknown): never {
	const message = (e as Error)?.message ?? String(e);
	if (/in use/i.test(message)) fail("address in use");
	fail(message);
}

/** Host name argument of connect() / dns() / net.dns.resolve(). */
export function checkHostName(host: unknown, missing: string): string {
	if (typeof host !== "string") fail(missing);
	if (!isValidHostName(host)) fail("illegal argument");
	return host;
}

/**
 * A server timeout in seconds: default 30, else an integer 1..28800 (NodeMCU's documented range, enforced by its
 * espconn-era net.c), as luaL_checkinteger takes it (a number or a decimal string, core/lua.ts toInteger).
 * @throws Error "wrong arg type" (not an integer); RangeError "timeout out of range [1-28800]".
 */
export function checkTimeout(timeout: unknown): number {
	if (timeout === undefined || timeout === null) return SERVER_TIMEOUT_DEFAULT_S;
	const t = toInteger(timeout);
	if (t === undefined) fail("wrong arg type");
	if (t < SERVER_TIMEOUT_MIN_S || t > SERVER_TIMEOUT_MAX_S)
		throw new RangeError(`timeout out of range [${SERVER_TIMEOUT_MIN_S}-${SERVER_TIMEOUT_MAX_S}]`);
	return t;
}

/** A DNS server index, 0..1 (default 0), as luaL_checkinteger takes it; else "server index out of range [0-1]". */
export function checkServerIndex(index: unknown): number {
	if (index === undefined || index === null) return 0;
	const i = toInteger(index);
	if (i === undefined || i < 0 || i >= DNS_SERVERS_MAX) fail(`server index out of range [0-${DNS_SERVERS_MAX - 1}]`);
	return i;
}

/** The socket type argument (net.TCP or net.UDP) as luaL_checkinteger takes it, or undefined when omitted. */
export function checkType(type: unknown): number | undefined {
	if (type === undefined || type === null) return undefined;
	const t = toInteger(type);
	if (t !== 1 && t !== 2) fail("invalid type");
	return t;
}
