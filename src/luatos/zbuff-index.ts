// Index access on a zbuff, buf[i] (LuatOS's __index / __newindex on a zbuff userdata: a byte 0..255, undefined out
// of range; writing stores value & 0xFF, out of range logs and stores nothing): the one Proxy behind the methods of
// every zbuff (zbuff.ts wrap()).
import { log } from "luatos/log";
import { rawOf } from "luatos/zbuff-state";

function isInteger(value: unknown): value is number {
	return typeof value === "number" && Number.isInteger(value);
}

/** A property key that names an index ("0", "17", "-1"): the number, else undefined. */
function indexKey(key: string): number | undefined {
	const c = key.charCodeAt(0);
	if ((c < 48 || c > 57) && c !== 45) return undefined;
	const n = Number(key);
	return Number.isInteger(n) ? n : undefined;
}

// A zbuff is an ordinary frozen object holding its state under RAW; its prototype has the methods and, behind
// them, one Proxy shared by every zbuff: a key found on neither (buf[i]) reaches the Proxy's traps with the zbuff
// as the receiver. So a method call costs an ordinary lookup and only buf[i] costs a trap (as Lua's __index /
// __newindex); nothing else can be added. `i in buf` is false (the trap cannot know which zbuff is asked).
const indexHandler: ProxyHandler<object> = Object.freeze({
	get(target: object, key: string | symbol, receiver: unknown): unknown {
		if (typeof key !== "string") return undefined;
		const i = indexKey(key);
		if (i === undefined) return (target as Record<string, unknown>)[key];   // Object.prototype's (toString, ...)
		const b = rawOf(receiver)?.b;
		return b && i >= 0 && i < b.length ? b[i] : undefined;
	},
	set(_target: object, key: string | symbol, value: unknown, receiver: unknown): boolean {
		const i = typeof key === "string" ? indexKey(key) : undefined;
		const z = rawOf(receiver);
		if (i === undefined || !z) throw new TypeError(`zbuff: cannot set ${String(key)} (only byte indexes can be set)`);
		if (!isInteger(value)) throw new TypeError(`zbuff[${i}]: value must be an integer`);
		if (i < 0 || i >= z.b.length) log("W", "zbuff", "zbuff index out of range, write refused");
		else z.b[i] = value & 0xFF;
		return true;
	},
	has(target: object, key: string | symbol): boolean {
		return typeof key === "string" && indexKey(key) === undefined && key in target;
	},
});

/** The Proxy behind the methods of every zbuff (a new one each call: zbuff.ts makes it once, on first use). */
export function indexProxy(): object {
	return new Proxy(Object.freeze({}), indexHandler);
}
