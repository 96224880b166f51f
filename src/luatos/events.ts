// LuatOS socket events and their delivery (luat_lib_socket.c l_socket_callback): to the ctrl's callback
// `cb(ctrl, event, param)`, to its task (`sys.sendMsg(taskName, event, param)`), or, with neither, published as
// ("NWCTRL*", adapter, socketId, event, param). Never inside the API call that caused it: events that an API
// call causes are posted; those the event loop causes (bytes arrived, connected, closed, handed over) are
// delivered from that host callback, without a further turn.
import { post, reportError } from "xsnet/core/tasks";
import { sendMsg, publish } from "luatos/sys";
import { log } from "luatos/log";

/** Event numbers (EV_NW_RESULT_* & 0x0fffffff). */
export const LINK = 0x2000010, ON_LINE = 0x2000011, TX_OK = 0x2000012, CLOSED = 0x2000013, EVENT = 0x2000014;

/** The topic of events of a ctrl created with neither a callback nor a task name (LUAT_NW_CTRL_TYPE). */
export const PUBLISH_TOPIC = "NWCTRL*";

/** What delivery needs of a ctrl. */
export interface EventTarget {
	readonly adapter: number;
	readonly id: number;
	/** The callback of create(adapter, cb), or undefined. */
	readonly cb: Function | undefined;
	/** The task name of create(adapter, "name"), or undefined. */
	readonly task: string | undefined;
	/** The NW_STATE_* number; RELEASED (negative) after release(): nothing is delivered any more. */
	readonly state: number;
	/** socket.debug(ctrl, true): log every event (set with setDebug). */
	debugOn?: boolean;
}

/** The state of a released ctrl (no NW_STATE_*: state() then gives nothing, as for any invalid ctrl). */
export const RELEASED = -1;

/**
 * True once any ctrl had debug on: until then deliver() does not look for the (absent) debugOn field, a lookup
 * through the ctrl's whole prototype chain on each event; while false, a ctrl's EVENT and TX_OK may be delivered
 * inline (ctrl.ts: its callback called as deliver() calls it). A boolean in module scope, writable on a board.
 */
export let debugUsed = false;

/** socket.debug(): log every event of `target` while `on` is true. */
export function setDebug(target: EventTarget, on: boolean): void {
	if (on) debugUsed = true;
	target.debugOn = on;
}

function eventName(event: number): string {
	switch (event) {
		case LINK: return "LINK";
		case ON_LINE: return "ON_LINE";
		case TX_OK: return "TX_OK";
		case CLOSED: return "CLOSED";
		case EVENT: return "EVENT";
	}
	return String(event);
}

/** A posted job: `code` is the event, negated for param -1 (one job carries both without an allocation). */
function deliverPosted(target: EventTarget, code: number): void {
	deliver(target, code < 0 ? -code : code, code < 0 ? -1 : 0, true);
}

/**
 * Deliver `event` with `param` (0 or -1) to `target`: at once when `now` (the caller runs from the event loop, a
 * host callback or a posted job, never inside an API call of the program), else on a later turn, in order with
 * every other posted job.
 */
export function deliver(target: EventTarget, event: number, param: number, now?: boolean): void {
	if (!now) {
		post(deliverPosted, target, param ? -event : event);
		return;
	}
	if (target.state < 0) return;                 // released
	if (debugUsed && target.debugOn) log("D", "socket", `${target} ${eventName(event)} ${param}`);
	const cb = target.cb;
	if (cb) {
		try {
			cb(target, event, param);            // protected, as callSafe (inline: two events per round trip)
		}
		catch (e) {
			reportError(e);
		}
	}
	else if (target.task !== undefined) sendMsg(target.task, event, param);
	else publish(PUBLISH_TOPIC, target.adapter, target.id, event, param);
}
