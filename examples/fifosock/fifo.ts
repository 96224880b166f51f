// A generic FIFO with "immediate dequeue" mode: a port of NodeMCU's lua_modules/fifo/fifo.lua
// (documented in nodemcu-firmware docs/lua-modules/fifo.md). Same names and behaviour:
//   const f = new Fifo<string>();   // Lua: fifo = (require "fifo").new()
//   f.queue(a, k);                  // Lua: fifo:queue(a, k)
//   f.dequeue(k);                   // Lua: fifo:dequeue(k)
// Differences from the Lua: a class instead of a table of closures; the element count is `length`
// (Lua's `#fifo`); the "again" tail call of dequeue is a loop (JavaScript has no guaranteed tail calls).

/**
 * What `dequeue` passes each element to. It gets the head element and whether it is the last one, and
 * returns `[replacement, again]`: a replacement other than undefined stays at the head of the FIFO
 * (undefined removes the element); `again` true advances once more ("phantom" element), as in fifo.lua.
 * Returning undefined (or nothing) means `[undefined, false]`.
 */
export type DequeueFn<T> = (element: T, isLast: boolean) => [T | undefined, boolean?] | undefined | void;

export class Fifo<T> {
	/** The elements, head first (Lua: the table's integer keys). */
	private readonly items: T[] = [];

	/**
	 * "Immediate dequeue" mode (Lua: `q._go`): set when a dequeue found the FIFO empty; the next queue()
	 * with a function then dequeues at once. A new FIFO starts in this mode.
	 */
	_go = true;

	/** Number of queued elements (Lua: `#q`). */
	get length(): number {
		return this.items.length;
	}

	/**
	 * Remove the head element and pass it to `k` with a flag saying whether it is the last one; see DequeueFn.
	 * When the FIFO is empty, `k` is not called and the FIFO enters immediate-dequeue mode.
	 * @returns true if the FIFO held at least one non-phantom element, false otherwise (fifo.lua `dequeue`).
	 */
	dequeue(k: DequeueFn<T>): boolean {
		const q = this.items;
		if (q.length === 0) {
			this._go = true;
			return false;
		}
		for (;;) {
			const [replacement, again] = k(q[0], q.length === 1) ?? [undefined, false];
			if (replacement === undefined) q.shift();
			else q[0] = replacement;
			if (!again) return true;
			// Lua: `return dequeue(q, k)` (a tail call): the FIFO ran dry after phantom elements
			if (q.length === 0) {
				this._go = true;
				return false;
			}
		}
	}

	/** Queue `a`; if `k` is given and the FIFO is in immediate-dequeue mode, leave that mode and dequeue with `k`. */
	queue(a: T, k?: DequeueFn<T>): void {
		this.items.push(a);
		if (k !== undefined && this._go) {
			this._go = false;
			this.dequeue(k);
		}
	}
}

/** Lua: `(require "fifo").new()`. */
export function newFifo<T>(): Fifo<T> {
	return new Fifo<T>();
}
