// Port of LuatOS's demo/socket/server/tcp/tcp_server_main.lua: a single-client TCP server in task style. The
// listening ctrl carries its client (LuatOS's 1:1 mode): receive, send, wait; when the client leaves, close the
// ctrl, wait, and listen again for the next one.
import socket from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";
import * as tcp_server_receiver from "./tcp_server_receiver.js";
import * as tcp_server_sender from "./tcp_server_sender.js";

const TASK_NAME = tcp_server_sender.TASK_NAME;

function tcp_server_main_cbfunc(msg: unknown[]) {
	trace(`I/tcp_server_main_cbfunc ${msg[0]} ${msg[1]} ${msg[2]} ${msg[3]}\n`);
}

/** Start the server task on `listen_port` (the Lua: 50003), listening again `restartMs` (5000) after a client. */
export function start(listen_port: number, restartMs = 5000): void {
	async function tcp_server_main_task_func() {
		for (;;) {
			while (!socket.adapter(socket.dft()[0])[0]) {
				trace(`W/tcp_server_main_task_func wait IP_READY ${socket.dft()[0]}\n`);
				await sys.waitUntil("IP_READY", 1000);
			}
			const netc = socket.create(socket.dft()[0], TASK_NAME);
			exception: {
				if (!netc) {
					trace("E/tcp_server_task_func socket.create failed\n");
					break exception;
				}
				socket.debug(netc, true);
				if (!socket.config(netc, listen_port, undefined, undefined, 300, 10, 3)) {
					trace("E/tcp_server_task_func socket.config failed\n");
					break exception;
				}
				if (!await libnet.listen(TASK_NAME, 0, netc)) {
					trace("E/tcp_server_task_func listen failed\n");
					break exception;
				}
				await libnet.tx(TASK_NAME, 0, netc, "TCP server is UP!");
				for (;;) {
					if (!tcp_server_receiver.proc(netc)) {
						trace("I/tcp_server_task_func tcp_server_receiver.proc error\n");
						break;
					}
					if (!await tcp_server_sender.proc(TASK_NAME, netc)) {
						trace("I/tcp_server_task_func tcp_server_sender.proc error\n");
						break;
					}
					const [result, param] = await libnet.wait(TASK_NAME, 15000, netc);
					trace(`I/tcp_server_task_func wait result ${result} ${param}\n`);
					if (!result) {
						trace("I/tcp_server_task_func client disconnected\n");
						break;
					}
				}
			}
			tcp_server_sender.exception_proc();
			if (netc) {
				await libnet.close(TASK_NAME, 5000, netc);
				socket.release(netc);
			}
			await sys.wait(restartMs);
		}
	}
	sys.taskInitEx(tcp_server_main_task_func, TASK_NAME, tcp_server_main_cbfunc);
}
