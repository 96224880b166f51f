// Port of LuatOS's demo/socket/server/tcp_multi/tcp_multi_main.lua: a multi-client TCP server. The task loops
// on libnet.listen(task, 0, server, backlog) and socket.accept(server, cb): each client gets its own ctrl whose
// callback receives and closes it; the server ctrl only listens.
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";
import * as tcp_multi_receiver from "./tcp_multi_receiver.js";
import * as tcp_multi_sender from "./tcp_multi_sender.js";

const TASK_NAME = tcp_multi_sender.TASK_NAME;
const clients = tcp_multi_sender.clients;

function tcp_multi_main_cbfunc(msg: unknown[]) {
	trace(`I/tcp_multi_main_cbfunc ${msg[0]} ${msg[1]} ${msg[2]} ${msg[3]}\n`);
}

function remove_client(client: SocketCtrl) {
	for (let i = 0; i < clients.length; i++) {
		if (String(clients[i]) === String(client)) {
			clients.splice(i, 1);
			trace(`I/tcp_multi_main.remove_client clients left= ${clients.length}\n`);
			return;
		}
	}
}

function close_client(client: SocketCtrl | undefined) {
	if (!client) return;
	tcp_multi_receiver.cleanup(client);
	socket.close(client);
	socket.release(client);
	remove_client(client);
}

function client_event_cb(client: SocketCtrl, event: number, param: number) {
	if (event === socket.EVENT) {
		if (!tcp_multi_receiver.proc(client)) {
			trace(`I/tcp_multi_main.client_event_cb client error, closing ${client}\n`);
			close_client(client);
		}
	}
	else if (event === socket.CLOSED) {
		trace(`I/tcp_multi_main.client_event_cb client disconnected ${client}\n`);
		close_client(client);
	}
	else trace(`I/tcp_multi_main.client_event_cb other event ${event} ${param}\n`);
}

/** Start the server task on `listen_port` (the Lua: 50003) with `backlog` (8). */
export function start(listen_port: number, backlog = 8, restartMs = 5000): void {
	async function tcp_multi_main_task_func() {
		for (;;) {
			while (!socket.adapter(socket.dft()[0])[0]) {
				trace(`W/tcp_multi_main_task_func wait IP_READY ${socket.dft()[0]}\n`);
				await sys.waitUntil("IP_READY", 1000);
			}
			const server_netc = socket.create(socket.dft()[0], TASK_NAME);
			exception: {
				if (!server_netc) {
					trace("E/tcp_multi_main_task_func socket.create failed\n");
					break exception;
				}
				socket.debug(server_netc, true);
				if (!socket.config(server_netc, listen_port, undefined, undefined, 300, 10, 3)) {
					trace("E/tcp_multi_main_task_func socket.config failed\n");
					break exception;
				}
				trace(`I/tcp_multi_main_task_func listening ${socket.localIP(socket.dft()[0])[0] !== undefined} ${listen_port}\n`);
				for (;;) {
					const result = await libnet.listen(TASK_NAME, 0, server_netc, backlog);
					if (!result) {
						trace("E/tcp_multi_main_task_func listen failed or timed out\n");
						break;
					}
					const [ok, client, ip, port] = socket.accept(server_netc, client_event_cb);
					if (ok && client) {
						socket.debug(client, true);
						clients.push(client);
						trace(`I/tcp_multi_main_task_func new client IP= ${ip} port= ${port} clients= ${clients.length}\n`);
						socket.tx(client, "TCP server is UP! you are client-" + clients.length);
					}
					else trace("W/tcp_multi_main_task_func accept failed, listening again\n");
				}
			}
			tcp_multi_sender.exception_proc();
			while (clients.length > 0) close_client(clients[0]);
			if (server_netc) {
				await libnet.close(TASK_NAME, 5000, server_netc);
				socket.release(server_netc);
			}
			await sys.wait(restartMs);
		}
	}
	sys.taskInitEx(tcp_multi_main_task_func, TASK_NAME, tcp_multi_main_cbfunc);
}
