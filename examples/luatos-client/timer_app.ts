// Port of LuatOS's demo/socket/client/long_connection/timer_app.lua: a data source. Every `intervalMs` (the Lua:
// 5000) after the previous send's result, publish "SEND_DATA_REQ" ("timer", n, callback) with n = 1, 2, ...
import sys from "luatos/sys";

let data = 1;
let interval = 5000;

function send_data_cbfunc(result: boolean, para: unknown) {
	trace(`I/send_data_cbfunc ${result} ${para}\n`);
	sys.timerStart(send_data_req_timer_cbfunc, interval);   // the duplicate rule keeps one timer
}

function send_data_req_timer_cbfunc() {
	sys.publish("SEND_DATA_REQ", "timer", data, { func: send_data_cbfunc, para: "timer" + data });
	data = data + 1;
}

/** Start the timer. */
export function start(intervalMs = 5000): void {
	interval = intervalMs;
	sys.timerStart(send_data_req_timer_cbfunc, interval);
}
