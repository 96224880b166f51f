// A small text pipe, standing in for the stdout pipe of NodeMCU's Lua core that telnet.lua reads from
// (NodeMCU's `pipe` module: pipe.create(cb), p:write(s), p:read(n)). Writing posts the reader callback as
// a task (on the next turn of the event loop, so the output of one evaluation is batched); the callback
// returns true to be posted again, false (or nothing) when it will come back by itself (telnet: on "sent").
// read(n) takes up to n UTF-16 code units (NodeMCU: bytes), never splitting a surrogate pair. An error
// thrown by the reader is reported with trace() (it runs from a timer, where nothing else could catch it).
import Timer from "timer";

const BLOCK = 16 * 1024; // big writes are cut into blocks once: XS indexes strings in O(n)

export type PipeReader = (p: Pipe) => boolean | void;

export class Pipe {
	private parts: string[] = [];
	private posted = false;

	constructor(private readonly reader: PipeReader) {}

	/** Append `s` and post the reader. */
	write(s: string): void {
		if (!s.length) return;
		if (s.length <= BLOCK) this.parts.push(s);
		else for (let i = 0; i < s.length;) {
			let end = Math.min(i + BLOCK, s.length);
			if (end < s.length && isHighSurrogate(s.charCodeAt(end - 1))) end--;
			this.parts.push(s.slice(i, end));
			i = end;
		}
		this.post();
	}

	/** Take up to `n` code units from the front; undefined when the pipe is empty. */
	read(n: number): string | undefined {
		const out: string[] = [];
		let left = n;
		while (left > 0 && this.parts.length) {
			const head = this.parts[0];
			if (head.length <= left) {
				out.push(head);
				left -= head.length;
				this.parts.shift();
				continue;
			}
			let cut = left;
			if (isHighSurrogate(head.charCodeAt(cut - 1))) cut--;
			if (cut === 0) break;
			out.push(head.slice(0, cut));
			this.parts[0] = head.slice(cut);
			break;
		}
		return out.length ? out.join("") : undefined;
	}

	/** Drop everything queued. */
	clear(): void {
		this.parts = [];
	}

	private post(): void {
		if (this.posted) return;
		this.posted = true;
		Timer.set(() => {
			this.posted = false;
			let again;
			try {
				again = this.reader(this);
			}
			catch (e) {
				trace(`pipe: ${(e as Error)?.message ?? String(e)}\n`);
			}
			if (again && this.parts.length) this.post();
		}, 0);
	}
}

/** NodeMCU: pipe.create(cb). */
export function create(reader: PipeReader): Pipe {
	return new Pipe(reader);
}

function isHighSurrogate(c: number): boolean {
	return c >= 0xd800 && c <= 0xdbff;
}
