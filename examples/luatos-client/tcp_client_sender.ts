// Port of LuatOS's demo/socket/client/long_connection/tcp/tcp_client_sender.lua: requests published as
// "SEND_DATA_REQ" (tag, data, cb) are queued; tcp_client_main's task sends them with libnet.tx; when the
// connection fails, the queue is emptied and every sender told.
import socket from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";

/** A send request's result callback: `{func(result, para), para}`, both optional. */
export interface SendCallback { func?: (result: boolean, para: unknown) => void; para?: unknown }
interface SendItem { data: string; cb: SendCallback | undefined }

const send_queue: SendItem[] = [];

export const TASK_NAME = "tcp_client_main";

function send_data_req_proc_func(tag: string, data: unknown, cb?: SendCallback) {
	if (tag === "Aircloud_main") send_queue.push({ data: String(data), cb });
	else send_queue.push({ data: "send from " + tag + ": " + data, cb });
	sys.sendMsg(TASK_NAME, socket.EVENT, 0);      // wake the task's libnet.wait
}

/** Send everything queued; false when the connection failed. */
export async function proc(task_name: string, socket_client: unknown): Promise<boolean> {
	while (send_queue.length > 0) {
		const send_item = send_queue.shift()!;
		const [result, buff_full] = await libnet.tx(task_name, 15000, socket_client as never, send_item.data);
		if (!result) {
			trace("E/tcp_client_sender.proc libnet.tx error\n");
			send_item.cb?.func?.(false, send_item.cb.para);
			return false;
		}
		if (buff_full) {
			trace("E/tcp_client_sender.proc buffer is full, wait for the next time\n");
			send_queue.unshift(send_item);
			return true;
		}
		trace("I/tcp_client_sender.proc send success\n");
		send_item.cb?.func?.(true, send_item.cb.para);
		sys.publish("FEED_NETWORK_WATCHDOG");
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
