// Port of LuatOS's demo/socket/server/udp/udp_server_sender.lua: requests published as "SEND_DATA_REQ"
// (tag, data, ip, port, cb) are queued and sent by udp_server_main's task with the server's send().
import sys from "luatos/sys";
import type { UdpServer } from "./udpsrv.js";

export interface SendCallback { func?: (result: boolean, para: unknown) => void; para?: unknown }
interface SendItem { data: string; ip: string; port: number; cb: SendCallback | undefined }

const send_queue: SendItem[] = [];

function send_data_req_proc_func(tag: string, data: unknown, ip: string, port: number, cb?: SendCallback) {
	send_queue.push({ data: "send from " + tag + ": " + data, ip, port, cb });
	sys.publish("udp_server", "SEND_READY", undefined, undefined);   // wakes the task's waitUntil
}

/** Send everything queued; false when a send failed. */
export function proc(udp_server: UdpServer): boolean {
	while (send_queue.length > 0) {
		const send_item = send_queue.shift()!;
		const [result] = udp_server.send(send_item.data, send_item.ip, send_item.port) ?? [];
		if (!result) {
			trace("E/udp_server_sender.proc udp_server:send error\n");
			send_item.cb?.func?.(false, send_item.cb.para);
			return false;
		}
		trace(`I/udp_server_sender.proc send success ${send_item.ip} ${send_item.port}\n`);
		send_item.cb?.func?.(true, send_item.cb.para);
	}
	return true;
}

/** The server failed: drop what is queued, telling each sender. */
export function exception_proc(): void {
	while (send_queue.length > 0) {
		const send_item = send_queue.shift()!;
		send_item.cb?.func?.(false, send_item.cb.para);
	}
}

sys.subscribe("SEND_DATA_REQ", send_data_req_proc_func);
