// Moddable's `timer` module for the xsnet simulator: a small class binding native functions (bindings/timer.c).
class Timer {
	static set(callback, delay, repeat) @ "xs_timer_set";
	static repeat(callback, interval) @ "xs_timer_repeat";
	static schedule(timer, delay, repeat) @ "xs_timer_schedule";
	static clear(timer) @ "xs_timer_clear";
	static delay(ms) @ "xs_timer_delay";
}
Object.freeze(Timer.prototype);
export default Object.freeze(Timer);
