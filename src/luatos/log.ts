// Log lines of the LuatOS personality, in LuatOS's own shape ("E/tag text"), written with trace().
// LuatOS prints its C modules' lines as "<level>/<tag> <text>" (luat_log.h); we keep that form so a LuatOS user
// recognises them.

/** One log line: `level` "E" (error), "W" (warning), "I" (information) or "D" (debug), then `tag` and `text`. */
export function log(level: string, tag: string, text: string): void {
	trace(level + "/" + tag + " " + text + "\n");
}

/**
 * Report an exception that an application function (a task, a subscriber, a timer callback) threw, with its
 * stack when the engine gives one, and carry on (LuatOS logs the traceback too, then restarts the VM; we do not).
 */
export function logException(tag: string, where: string, e: unknown): void {
	let text: string;
	try {
		// XS's stack starts with "Name: message", then one " at fn ()" line per frame.
		const stack = (e as { stack?: unknown } | null)?.stack;
		text = typeof stack === "string" && stack ? stack : String(e);
	}
	catch {
		text = "(unprintable exception)";
	}
	log("E", tag, where + ": " + text);
}
