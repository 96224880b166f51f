// Received bytes that the application has not taken yet: the ArrayBuffers the host socket's read() returned, in
// order, taken from the front in any sizes. Used by TcpConnection's pull mode (core/tcp.ts).

export class ReceiveQueue {
	/** Bytes held. */
	length = 0;
	private chunks: ArrayBuffer[] | undefined;   // made with the first bytes (an idle connection holds no array)
	private first = 0;     // index of the front chunk in `chunks`
	private offset = 0;    // bytes of the front chunk already taken

	/** Append a buffer (kept, not copied: the caller gives it up). */
	push(buffer: ArrayBuffer): void {
		const n = buffer.byteLength;
		if (!n) return;
		(this.chunks ??= []).push(buffer);
		this.length += n;
	}

	/**
	 * Take the first `count` bytes (at most `length`) as one ArrayBuffer: the front chunk itself when it is exactly
	 * that, else a new buffer.
	 */
	take(count: number): ArrayBuffer {
		if (count > this.length) count = this.length;
		const front = this.chunks?.[this.first];
		if (this.offset === 0 && front && front.byteLength === count) {
			this.drop();
			this.length -= count;
			return front;
		}
		const out = new Uint8Array(count);
		this.takeInto(out);
		return out.buffer as ArrayBuffer;
	}

	/** Copy the first bytes into `target` (as many as fit) and remove them; returns the count copied. */
	takeInto(target: Uint8Array): number {
		let done = 0;
		const want = target.length < this.length ? target.length : this.length;
		while (done < want) {
			const chunk = this.chunks![this.first];
			let n = chunk.byteLength - this.offset;
			if (n > want - done) n = want - done;
			target.set(new Uint8Array(chunk, this.offset, n), done);
			done += n;
			this.offset += n;
			if (this.offset === chunk.byteLength) this.drop();
		}
		this.length -= done;
		return done;
	}

	/** Forget everything. */
	clear(): void {
		this.chunks = undefined;
		this.first = this.offset = this.length = 0;
	}

	private drop(): void {
		this.offset = 0;
		const chunks = this.chunks!;
		if (++this.first === chunks.length) {
			chunks.length = 0;
			this.first = 0;
		}
		else if (this.first >= 32) {          // compact now and then: the array never keeps taken chunks for long
			this.chunks = chunks.slice(this.first);
			this.first = 0;
		}
	}
}
