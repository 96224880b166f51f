// Port of LuatOS's demo/socket/client/long_connection/udp/udp_client_receiver.lua: read everything the
// connection holds into one zbuff and publish it as "RECV_DATA_FROM_SERVER".
import socket from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import type { ZBuff } from "luatos/zbuff";

let recv_buff: ZBuff | undefined;

/** Read and publish all received data; false when the connection failed. */
export function proc(socket_client: unknown): boolean {
	recv_buff ??= zbuff.create(1024)!;
	for (;;) {
		const [result] = socket.rx(socket_client as never, recv_buff);
		if (!result) {
			trace("E/udp_client_receiver.proc socket.rx error\n");
			return false;
		}
		if (recv_buff.used() > 0) {
			trace(`I/udp_client_receiver.proc recv data len ${recv_buff.used()}\n`);
			const data = recv_buff.query();
			sys.publish("RECV_DATA_FROM_SERVER", "recv from udp server: ", data);
			sys.publish("FEED_NETWORK_WATCHDOG");
			recv_buff.del();
		}
		else break;
	}
	return true;
}
