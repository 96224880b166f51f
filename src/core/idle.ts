// Inactivity limits of accepted connections (NodeMCU's server "timeout": a client with no traffic for that long
// is disconnected; traffic is bytes either way, received or sent, so a client that only downloads stays). One shared sweep timer checks every watched connection, so a
// connection costs no timer of its own and moving bytes costs one Date.now().
import Timer from "timer";
import { IDLE_SWEEP_MS } from "xsnet/core/limits";

/** What the sweeper needs of a connection. */
export interface IdleWatched {
	/** Inactivity limit, ms. */
	idleMs: number;
	/** Date.now() of the last bytes received or sent (or of the accept). */
	lastActive: number;
	/** The limit passed: end the connection. */
	expire(): void;
}

// Made with the first watched connection, at run time: a Set that a preloaded module body creates is read-only
// on a board (XS linker, documentation/xs/preload.md).
let watched: Set<IdleWatched> | undefined;
let sweeper: Timer | undefined;

/**
 * True while some connection is watched: a connection records its activity (lastActive) only then, so the
 * connections of an app without server timeouts do not even look for their idleMs (a lookup through their whole
 * prototype chain while it is unset) per event.
 */
export let idleWatching = false;

/** Start watching `c` (its lastActive is set to now). */
export function watchIdle(c: IdleWatched): void {
	c.lastActive = Date.now();
	(watched ??= new Set()).add(c);
	idleWatching = true;
	if (sweeper === undefined) sweeper = Timer.repeat(sweep, IDLE_SWEEP_MS);
}

/** Stop watching `c`; the sweep timer stops with the last watched connection. */
export function unwatchIdle(c: IdleWatched): void {
	if (!watched?.delete(c) || watched.size || sweeper === undefined) return;
	Timer.clear(sweeper);
	sweeper = undefined;
	watched = undefined;
	idleWatching = false;
}

function sweep(): void {
	const now = Date.now();
	let expired: IdleWatched[] | undefined;
	for (const c of watched ?? []) {
		if (now - c.lastActive >= c.idleMs) (expired ??= []).push(c);
	}
	if (!expired) return;
	for (const c of expired) {
		unwatchIdle(c);
		c.expire();
	}
}
