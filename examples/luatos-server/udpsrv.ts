// Port of LuatOS's script/libs/udpsrv.lua: a UDP server on `port` whose datagrams are published as
// (topic, data, ip, port). The ctrl is bound to the port and "connected" to 255.255.255.255 port 0, so it takes
// datagrams from anyone; send(data, ip, port) answers.
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";

export interface UdpServer {
	sc: SocketCtrl | undefined;
	/** socket.tx(sc, data, ip, port)'s results, or undefined after close. */
	send(data: string, ip: string | number, port: number): ReturnType<typeof socket.tx> | undefined;
	close(): void;
}

const srvs: UdpServer[] = [];

/** Create a UDP server on `port` publishing what it receives under `topic`; undefined when it cannot start. */
export function create(port: number, topic: string, adapter?: number): UdpServer | undefined {
	const rxbuff = zbuff.create(1500)!;
	const sc = socket.create(adapter, (sc: SocketCtrl, event: number) => {
		if (event === socket.EVENT) {
			for (;;) {
				const [succ, data_len, ip, remote_port] = socket.rx(sc, rxbuff);
				if (succ && data_len && (data_len as number) > 0) {
					const resp = rxbuff.toStr(0, rxbuff.used());
					rxbuff.del();
					let remote_ip: string | undefined;
					if (typeof ip === "string" && ip.length === 5)
						remote_ip = `${ip.charCodeAt(1)}.${ip.charCodeAt(2)}.${ip.charCodeAt(3)}.${ip.charCodeAt(4)}`;
					sys.publish(topic, resp, remote_ip, remote_port);
				}
				else {
					if (!succ) {
						socket.close(sc);
						socket.connect(sc, "255.255.255.255", 0);
					}
					break;
				}
			}
		}
		else if (event === socket.CLOSED) {
			trace("I/dhcpsrv network down, closing\n");
			socket.close(sc);
		}
	});
	if (!sc) return undefined;
	socket.config(sc, port, true);
	const [ok] = socket.connect(sc, "255.255.255.255", 0);
	if (ok) {
		const srv: UdpServer = {
			sc,
			send(data, ip, p) {
				if (this.sc && data) return socket.tx(this.sc, data, ip, p);
				return undefined;
			},
			close() {
				socket.close(this.sc);
				socket.release(this.sc);
				const i = srvs.indexOf(this);
				if (i >= 0) srvs.splice(i, 1);
				this.sc = undefined;
			},
		};
		srvs.push(srv);
		return srv;
	}
	socket.close(sc);
	socket.release(sc);
	return undefined;
}

// the network came back: bind the servers again (udpsrv.lua's IP_READY subscriber)
sys.subscribe("IP_READY", () => {
	for (const srv of srvs) if (srv.sc) socket.connect(srv.sc, "255.255.255.255", 0);
});
