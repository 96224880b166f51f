// What the coercion apps share (tests/apps/coercion.ts, coercion-luatos.ts; tests/net-coercion.test.js): the table
// of variants of a base integer, and one JSON line {f, b, v, r} per call.

/** The variants of the base integer `b` every integer argument is called with. */
function variants(b: number): unknown[] {
	return [b, String(b), b + 0.5, NaN, Infinity, -1, "-1", " " + b, "0x" + b.toString(16), b + "e0", b + ".0", true, ""];
}

/** `v` as the test reads it back: JSON, except NaN/Infinity (which JSON would print as null). */
function show(v: unknown): string {
	return typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
}

/**
 * Call `call(v)` for each variant `v` of `b` and print one JSON line {f, b, v, r} per call, r being "ok" or
 * "<ErrorClass>: <message>" of what it threw. `f` names the function and argument, e.g. "socket:connect(port)".
 */
export function check(f: string, b: number, call: (v: any) => void): void {
	for (const v of variants(b)) {
		let r = "ok";
		try {
			call(v);
		}
		catch (e) {
			r = `${(e as Error).name}: ${(e as Error).message}`;
		}
		trace(JSON.stringify({ f, b, v: show(v), r }) + "\n");
	}
}
