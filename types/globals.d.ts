// Globals that Moddable devices and the simulator both provide (the simulator: hosts/sim/bindings/timer.c).
declare function setTimeout(callback: () => void, delay?: number): object;
declare function clearTimeout(timer: object | undefined | null): void;
declare function setInterval(callback: () => void, interval?: number): object;
declare function clearInterval(timer: object | undefined | null): void;
