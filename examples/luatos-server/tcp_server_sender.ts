// Port of LuatOS's demo/socket/server/tcp/tcp_server_sender.lua: requests published as "SEND_DATA_REQ"
// (tag, data, cb) are queued and sent to the client by tcp_server_main's task with libnet.tx.
import socket from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";

export interface SendCallback { func?: (result: boolean, para: unknown) => void; para?: unknown }
interface SendItem { data: string; cb: SendCallback | undefined }

const send_queue: SendItem[] = [];

export const TASK_NAME = "tcp_server_main";

function send_data_req_proc_func(tag: string, data: unknown, cb?: SendCallback) {
	send_queue.push({ data: "send from " + tag + ": " + data, cb });
	sys.sendMsg(TASK_NAME, socket.EVENT, 0);
}

/** Send everything queued; false when the connection failed. */
export async function proc(task_name: string, netc: unknown): Promise<boolean> {
	while (send_queue.length > 0) {
		const send_item = send_queue.shift()!;
		const [result, buff_full] = await libnet.tx(task_name, 15000, netc as never, send_item.data);
		if (!result) {
			trace("E/tcp_server_sender.proc libnet.tx error\n");
			send_item.cb?.func?.(false, send_item.cb.para);
			return false;
		}
		if (buff_full) {
			send_queue.unshift(send_item);
			return true;
		}
		send_item.cb?.func?.(true, send_item.cb.para);
	}
	return true;
}

/** The connection failed: drop what is queued, telling each sender. */
export function exception_proc(): void {
	while (send_queue.length > 0) {
		const send_item = send_queue.shift()!;
		send_item.cb?.func?.(false, send_item.cb.para);
	}
}

sys.subscribe("SEND_DATA_REQ", send_data_req_proc_func);
