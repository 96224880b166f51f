// Port of LuatOS's demo/socket/server/udp/udp_server_receiver.lua: remember the last client and publish what it
// sent as "RECV_DATA_FROM_CLIENT" (data, ip, port).
import sys from "luatos/sys";

const client_info: { ip?: string; port?: number } = {};

export function get_client_info() {
	return client_info;
}

export function reset_client_info(): void {
	client_info.ip = undefined;
	client_info.port = undefined;
}

/** Handle one datagram from `remote_ip`:`remote_port`. */
export function proc(data: string, remote_ip: string, remote_port: number): boolean {
	trace(`I/udp_server_receiver.proc received ${data} from ${remote_ip} ${remote_port}\n`);
	client_info.ip = remote_ip;
	client_info.port = remote_port;
	sys.publish("RECV_DATA_FROM_CLIENT", data, remote_ip, remote_port);
	return true;
}
