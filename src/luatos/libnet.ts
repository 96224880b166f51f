// LuatOS's `libnet` (script/libs/libnet.lua): the blocking forms of socket calls for a task made with
// sys.taskInitEx(fn, taskName, cbFun), on a ctrl created with the same task name. Each is an async function
// `(taskName, timeoutMs, ...socket arguments)`: it calls the socket function and, when that answers "in progress",
// waits for the matching event with sys.waitMsg (timeout 0 or undefined = none). The results are exactly
// libnet.lua's, including its quirks (noted per function). A socket function's results are read by index:
// destructuring an array runs the iterator protocol in XS (~4,400 instructions for two values, indexing ~500).
import { waitMsg, waitMsgAs } from "luatos/sys";
import type { WaitMsgResult } from "luatos/sys";
import { linkup, connect as socketConnect, listen as socketListen, tx as socketTx, wait as socketWait, discon, close as socketClose, LINK, ON_LINE, TX_OK, CLOSED, EVENT } from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";

type Ctrl = SocketCtrl | undefined | null;

/** libnet.lua's test of a waitMsg result: a message whose second value (the event's param) is 0. */
function succeeded(message: unknown): boolean {
	return Array.isArray(message) && message[1] === 0;
}

/**
 * Wait until the adapter of `ctrl` is up (socket.linkup, then the LINK event).
 * @returns true when up, false on failure or timeout.
 */
export async function waitLink(taskName: string, timeout: number | undefined | null, ctrl: Ctrl): Promise<boolean> {
	const r = linkup(ctrl);
	if (!r[0]) return false;
	if (r[1]) return true;
	return succeeded(await waitMsg(taskName, LINK, timeout));
}

/**
 * Connect (socket.connect's arguments after the first two) and wait for ON_LINE.
 * @returns true when connected (or looked up, for port 0), false on failure or timeout.
 */
export async function connect(taskName: string, timeout: number | undefined | null, ctrl: Ctrl,
	host: string | number, port: number, ipv6dns?: boolean | null): Promise<boolean> {
	const r = socketConnect(ctrl, host, port, ipv6dns);
	if (!r[0]) return false;
	if (r[1]) return true;
	return succeeded(await waitMsg(taskName, ON_LINE, timeout));
}

/**
 * Listen (socket.listen's arguments, with its backlog) and wait for a client (ON_LINE).
 * @returns true when a client connected, false on failure or timeout.
 */
export async function listen(taskName: string, timeout: number | undefined | null, ctrl: Ctrl,
	backlog?: number | null): Promise<boolean> {
	const r = socketListen(ctrl, backlog);
	if (!r[0]) return false;
	if (r[1]) return true;
	return succeeded(await waitMsg(taskName, ON_LINE, timeout));
}

/**
 * Send (socket.tx's arguments) and wait until it is handed over (TX_OK).
 * @returns `[ok, full]`: `[true, false]` sent; `[false, true]` the send queue is full; `[false, full]` failure or
 *   timeout, `full` being what socket.tx returned (undefined when tx failed: libnet.lua returns its nil). Bad
 *   arguments reject it (as an async function: not async itself, one promise fewer per call).
 */
export function tx(taskName: string, timeout: number | undefined | null, ctrl: Ctrl,
	data: Parameters<typeof socketTx>[1], ip?: string | number | null, port?: number | null, flag?: number | null): Promise<[boolean, boolean | undefined]> {
	try {
		const r = socketTx(ctrl, data, ip, port, flag) as [boolean?, boolean?, boolean?];
		const isFull = r[1];
		if (!r[0]) return Promise.resolve([false, isFull]);
		if (isFull) return Promise.resolve([true, true]);
		if (r[2]) return Promise.resolve([true, isFull]);
		return waitMsgAs(taskName, TX_OK, timeout, txResult);   // (isFull is false here, as libnet.lua's)
	}
	catch (e) {
		return Promise.reject(e);
	}
}

function txResult(message: WaitMsgResult): [boolean, boolean] {
	return [succeeded(message), false];
}

/**
 * Wait for a network event of `ctrl` (new data, the peer closing, an error), or for any message the task gets
 * with socket.EVENT as its first value (`sys.sendMsg(taskName, socket.EVENT, 0)` wakes it).
 * @returns `[ok, gotEvent]`: `[true, true]` data or a wake-up, `[false, false]` the connection failed (or is not
 *   online), `[true, false]` timeout (or an unknown task name). Bad arguments reject it (as an async function:
 *   not async itself, one promise fewer per call).
 */
export function wait(taskName: string, timeout: number | undefined | null, ctrl: Ctrl): Promise<[boolean, boolean]> {
	try {
		const r = socketWait(ctrl);
		if (!r[0]) return Promise.resolve([false, false]);
		if (r[1]) return Promise.resolve([true, true]);
		return waitMsgAs(taskName, EVENT, timeout, waitResult);
	}
	catch (e) {
		return Promise.reject(e);
	}
}

function waitResult(message: WaitMsgResult): [boolean, boolean] {
	if (Array.isArray(message)) return message[1] === 0 ? [true, true] : [false, false];
	return [true, false];
}

/** Disconnect `ctrl`, wait for CLOSED up to `timeout` if it is in progress, then close it. Returns nothing. */
export async function close(taskName: string, timeout: number | undefined | null, ctrl: Ctrl): Promise<void> {
	const r = discon(ctrl);
	if (r[0] && !r[1]) await waitMsg(taskName, CLOSED, timeout);
	socketClose(ctrl);
}

/** The `libnet` module object. */
const libnet = Object.freeze({ waitLink, connect, listen, tx, wait, close });

export default libnet;
