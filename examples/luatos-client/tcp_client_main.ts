// Port of LuatOS's demo/socket/client/long_connection/tcp/tcp_client_main.lua: a TCP long connection in task
// style. Connect with libnet, then loop: receive (tcp_client_receiver), send what is queued
// (tcp_client_sender), wait for an event or 15 s; on any failure close, wait and connect again.
import socket from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";
import * as tcp_client_receiver from "./tcp_client_receiver.js";
import * as tcp_client_sender from "./tcp_client_sender.js";

const TASK_NAME = tcp_client_sender.TASK_NAME;

function tcp_client_main_cbfunc(msg: unknown[]) {
	trace(`I/tcp_client_main_cbfunc ${msg[0]} ${msg[1]} ${msg[2]} ${msg[3]}\n`);
}

/**
 * Start the client task: connect to SERVER_ADDR:SERVER_PORT, reconnecting `reconnectMs` (the Lua: 5000) after
 * each failure.
 */
export function start(SERVER_ADDR: string, SERVER_PORT: number, reconnectMs = 5000): void {
	async function tcp_client_main_task_func() {
		for (;;) {
			// wait until the default adapter is up
			while (!socket.adapter(socket.dft()[0])[0]) {
				trace(`W/tcp_client_main_task_func wait IP_READY ${socket.dft()[0]}\n`);
				await sys.waitUntil("IP_READY", 1000);
			}
			trace(`I/tcp_client_main_task_func recv IP_READY ${socket.dft()[0]}\n`);
			const socket_client = socket.create(undefined, TASK_NAME);
			exception: {
				if (!socket_client) {
					trace("E/tcp_client_main_task_func socket.create error\n");
					break exception;
				}
				if (!socket.config(socket_client, undefined, undefined, undefined, 300, 10, 3)) {
					trace("E/tcp_client_main_task_func socket.config error\n");
					break exception;
				}
				if (!await libnet.connect(TASK_NAME, 15000, socket_client, SERVER_ADDR, SERVER_PORT)) {
					trace("E/tcp_client_main_task_func libnet.connect error\n");
					break exception;
				}
				trace("I/tcp_client_main_task_func libnet.connect success\n");
				sys.publish("CONNECTION_SUCCESS");
				for (;;) {
					// receive first (older LuatOS firmware requires it before libnet.wait)
					if (!tcp_client_receiver.proc(socket_client)) {
						trace("E/tcp_client_main_task_func tcp_client_receiver.proc error\n");
						break;
					}
					if (!await tcp_client_sender.proc(TASK_NAME, socket_client)) {
						trace("E/tcp_client_main_task_func tcp_client_sender.proc error\n");
						break;
					}
					// an event, new data, a send request (sendMsg EVENT), or 15 s
					const [result, para1] = await libnet.wait(TASK_NAME, 15000, socket_client);
					trace(`I/tcp_client_main_task_func libnet.wait ${result} ${para1}\n`);
					if (!result) {
						trace("W/tcp_client_main_task_func connection exception\n");
						break;
					}
				}
			}
			// EXCEPTION_PROC
			tcp_client_sender.exception_proc();
			if (socket_client) {
				await libnet.close(TASK_NAME, 5000, socket_client);
				socket.release(socket_client);
			}
			await sys.wait(reconnectMs);
		}
	}
	sys.taskInitEx(tcp_client_main_task_func, TASK_NAME, tcp_client_main_cbfunc);
}
