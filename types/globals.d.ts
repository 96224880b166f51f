// Globals that Moddable devices and the simulator both provide (the simulator: hosts/sim/bindings/timer.c).
declare function setTimeout(callback: () => void, delay?: number): object;
declare function clearTimeout(timer: object | undefined | null): void;
declare function setInterval(callback: () => void, interval?: number): object;
declare function clearInterval(timer: object | undefined | null): void;

// XS's String.fromArrayBuffer (xsString.c) also takes a byte offset and a byte length.
interface StringConstructor {
	fromArrayBuffer(buffer: ArrayBufferLike, byteOffset?: number, byteLength?: number): string;
}
