// Port of LuatOS's demo/socket/server/tcp_multi/tcp_multi_receiver.lua: each client has its own zbuff (keyed by
// tostring(client), as the Lua); what a client sends is published as "RECV_DATA_FROM_CLIENT" (data, client).
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import type { ZBuff } from "luatos/zbuff";

const recv_buffs: Record<string, ZBuff | undefined> = {};

/** Read and publish all data `client` sent; false when its connection failed. */
export function proc(client: SocketCtrl): boolean {
	const key = String(client);
	const recv_buff = recv_buffs[key] ??= zbuff.create(1024)!;
	for (;;) {
		const [succ, param] = socket.rx(client, recv_buff);
		if (!succ) {
			trace(`I/tcp_multi_receiver.proc socket.rx error ${param}\n`);
			return false;
		}
		if (recv_buff.used() > 0) {
			const data = recv_buff.query();
			trace(`I/tcp_multi_receiver.proc recv data ${data}\n`);
			sys.publish("RECV_DATA_FROM_CLIENT", data, client);
			recv_buff.del();
		}
		else break;
	}
	return true;
}

/** Forget `client`'s buffer (when it is closed). */
export function cleanup(client: SocketCtrl): void {
	delete recv_buffs[String(client)];
}
