// Port of LuatOS's demo/socket/server/udp/udp_server_main.lua: a UDP server (udpsrv) in task style. The task
// waits for the server's topic: a datagram goes to udp_server_receiver, "SEND_READY" makes it send what
// udp_server_sender queued, 15 s of silence sends a heartbeat.
import socket from "luatos/socket";
import sys from "luatos/sys";
import * as udpsrv from "./udpsrv.js";
import type { UdpServer } from "./udpsrv.js";
import * as udp_server_receiver from "./udp_server_receiver.js";
import * as udp_server_sender from "./udp_server_sender.js";

const SERVER_TOPIC = "udp_server";

/**
 * Start the server task on `SERVER_PORT` (the Lua: 50003). Its "UP" and heartbeat datagrams go to
 * `announce`:`announcePort` (the Lua broadcasts to 255.255.255.255:50000).
 */
export function start(SERVER_PORT: number, announce: string, announcePort: number, heartbeatMs = 15000, restartMs = 5000): void {
	async function udp_server_main_task_func() {
		for (;;) {
			while (!socket.adapter(socket.dft()[0])[0]) {
				trace(`W/udp_server_main_task_func wait IP_READY ${socket.dft()[0]}\n`);
				await sys.waitUntil("IP_READY", 1000);
			}
			const udp_server: UdpServer | undefined = udpsrv.create(SERVER_PORT, SERVER_TOPIC, socket.dft()[0]);
			exception: {
				if (!udp_server) {
					trace("E/udp_server_main_task_func udpsrv.create error\n");
					break exception;
				}
				trace(`I/udp_server_main_task_func UDP server started on port ${SERVER_PORT}\n`);
				udp_server.send("UDP Server is UP", announce, announcePort);
				for (;;) {
					if (!udp_server_sender.proc(udp_server)) trace("E/udp_server_main_task_func udp_server_sender.proc error\n");
					const [ret, data, remote_ip, remote_port] = await sys.waitUntil(SERVER_TOPIC, heartbeatMs) as [boolean, string?, string?, number?];
					if (ret) {
						if (data === "SEND_READY" && remote_ip === undefined) trace("I/udp_server_main_task_func send ready\n");
						else if (data === "SOCKET_CLOSED") break exception;
						else if (!udp_server_receiver.proc(data!, remote_ip!, remote_port!))
							trace("E/udp_server_main_task_func udp_server_receiver.proc error\n");
					}
					else {
						trace("I/udp_server_main_task_func no data, sending a heartbeat\n");
						udp_server.send("UDP Server Heartbeat", announce, announcePort);
					}
				}
			}
			udp_server_sender.exception_proc();
			udp_server?.close();
			await sys.wait(restartMs);
		}
	}
	sys.taskInit(udp_server_main_task_func);
}
