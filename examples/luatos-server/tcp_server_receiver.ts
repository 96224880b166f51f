// Port of LuatOS's demo/socket/server/tcp/tcp_server_receiver.lua: read everything the client sent into one
// zbuff and publish it as "RECV_DATA_FROM_CLIENT".
import socket from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import type { ZBuff } from "luatos/zbuff";

let recv_buff: ZBuff | undefined;

/** Read and publish all received data; false when the connection failed. */
export function proc(netc: unknown): boolean {
	recv_buff ??= zbuff.create(1024)!;
	for (;;) {
		const [succ, param] = socket.rx(netc as never, recv_buff);
		if (!succ) {
			trace(`I/tcp_server_receiver.proc socket.rx error ${param}\n`);
			return false;
		}
		if (recv_buff.used() > 0) {
			const data = recv_buff.query();
			trace(`I/tcp_server_receiver.proc recv data ${data}\n`);
			sys.publish("RECV_DATA_FROM_CLIENT", data);
			recv_buff.del();
		}
		else break;
	}
	return true;
}
