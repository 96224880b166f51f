// Port of LuatOS's demo/socket/server/tcp_multi/tcp_multi_sender.lua: a "SEND_DATA_REQ" (tag, data, cb) is sent
// at once to every connected client with socket.tx; send_to(client, data) sends to one.
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import sys from "luatos/sys";

export interface SendCallback { func?: (result: boolean, para: unknown) => void; para?: unknown }

/** The connected clients (tcp_multi_main keeps it). */
export const clients: SocketCtrl[] = [];

export const TASK_NAME = "tcp_multi_main";

function send_data_req_proc_func(tag: string, data: unknown, cb?: SendCallback) {
	const msg = "send from " + tag + ": " + data;
	if (clients.length === 0) {
		trace("W/tcp_multi_sender no client connected, data dropped\n");
		cb?.func?.(false, cb.para);
		return;
	}
	let send_ok = false;
	for (let i = clients.length - 1; i >= 0; i--) {
		const [succ, buff_full] = socket.tx(clients[i], msg);
		if (succ && !buff_full) send_ok = true;
		else if (!succ) trace(`E/tcp_multi_sender send failed, the client may have gone ${i}\n`);
		else trace(`W/tcp_multi_sender buffer full, data dropped ${i}\n`);
	}
	cb?.func?.(send_ok, cb.para);
}

/** Kept for the same shape as the single-client sender: broadcasting happens in the subscriber. */
export function proc(): boolean {
	return true;
}

/** Send `data` to one client. */
export function send_to(client: SocketCtrl | undefined, data: string) {
	if (!client) return false;
	return socket.tx(client, data);
}

/** Kept for the same shape: nothing is queued. */
export function exception_proc(): void {
}

sys.subscribe("SEND_DATA_REQ", send_data_req_proc_func);
