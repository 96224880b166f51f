// How a LuatOS ctrl (luatos/ctrl.ts) gets online with connect() (NA network_connect and its state machine): a TCP
// connection to an address, or to a name looked up first and tried address by address; a UDP endpoint bound and
// "connected"; or a name only looked up (port 0). Every outcome is an ON_LINE event (0, or -1 on failure).
import { TcpConnection } from "xsnet/core/tcp";
import { pullMode } from "xsnet/core/pull";
import { lookup } from "xsnet/core/dns";
import { parseIPv4 } from "xsnet/core/ip";
import { tlsTarget } from "xsnet/core/tls";
import { LUATOS_DNS_IPS_MAX } from "xsnet/core/limits";
import { ERR_TLS_HANDSHAKE } from "xsnet/core/errors";
import { log } from "luatos/log";
import { OFF_LINE, WAIT_DNS, CONNECTING, HANDSHAKE, ONLINE } from "luatos/states";
import { openEndpoint } from "luatos/ctrl-udp";
import type { SocketCtrl } from "luatos/ctrl";

/**
 * connect(): TCP to `host`:`port` (a name is looked up first: state 2, else 3), or UDP bound and "connected"
 * (port 0 = receive from anyone); a name with port 0 is a lookup only. ON_LINE follows.
 * @returns false when a socket is already open (LuatOS: (false, false)).
 */
export function connectCtrl(c: SocketCtrl, host: string, port: number): boolean {
	if (c.busy) return false;
	c.close();
	const literal = parseIPv4(host);
	if (c.udp) c.remotePort = port;
	c.waitFor("online");
	c.state = literal ? connectingState(c) : WAIT_DNS;
	if (!c.udp && (literal || port !== 0)) {
		const conn = new TcpConnection(c);
		pullMode(conn);
		if (c.keepIdle) conn.keepAliveMs = c.keepIdle * 1000;
		if (c.tls) conn.tls = tlsTarget(host, c.tls);
		c.conn = conn;
		conn.connectTo(host, port);
	}
	else if (literal && c.udp) bind(c, literal, false);   // LuatOS's stack binds before connect() returns
	else c.cancelLookup = lookup(host, (error, address, ips) => looked(c, error, address, ips, literal === undefined));
	return true;
}

/** The lookup of a UDP connect or of a DNS-only connect (port 0) ended. */
function looked(c: SocketCtrl, error: number, address: string | undefined, ips: readonly string[] | undefined,
	isName: boolean): void {
	c.cancelLookup = undefined;
	if (error || !address) {
		c.state = OFF_LINE;
		c.failWaited(true);
		return;
	}
	if (isName) c.dnsIps = keptIps(address, ips);
	if (!c.udp) {                        // a name and port 0: the lookup was all (NA network_state_wait_dns)
		c.state = OFF_LINE;
		c.online(true);
		return;
	}
	bind(c, address, true);
}

/** UDP: bind to config's local port and take `address` as the peer: state 5, ON_LINE(0); ON_LINE(-1) on failure. */
function bind(c: SocketCtrl, address: string, now: boolean): void {
	const endpoint = openEndpoint(c);
	if (!endpoint) {
		c.state = OFF_LINE;
		c.failWaited(now);
		return;
	}
	c.endpoint = endpoint;
	c.remoteAddress = address;
	c.state = ONLINE;
	c.online(now);
}

/**
 * The state once the address is known: 3, or 4 over TLS. ECMA-419's TLS socket reports nothing between the TCP
 * connection and the end of the handshake, so a TLS connection is in state 4 from the start of the TCP connect.
 */
export function connectingState(c: SocketCtrl): number {
	return c.tls && !c.udp ? HANDSHAKE : CONNECTING;
}

/** What remoteIP() gives and a TCP connect tries: the answer's first LUATOS_DNS_IPS_MAX addresses (NA MAX_DNS_IP). */
export function keptIps(address: string, ips: readonly string[] | undefined): string[] {
	return ips ? ips.slice(0, LUATOS_DNS_IPS_MAX) : [address];
}

/**
 * A TCP connect to one address of a name failed: connect to the next one, as NA network_state_connecting tries
 * dns_ip[] in turn (ON_LINE(-1) only when every address failed; the state stays 3, 4 over TLS). Not after a
 * failed TLS handshake (NA gives up in state 4). Returns false when there is no next address.
 */
export function nextAddress(c: SocketCtrl, failed: TcpConnection, error: number): boolean {
	const ips = c.dnsIps;
	const next = c.dnsNext ?? 1;
	if (!ips || next >= ips.length || error === ERR_TLS_HANDSHAKE || failed.port === undefined) return false;
	c.dnsNext = next + 1;
	if (c.debugOn) log("D", "socket", `${c} ${ips[next - 1]} failed (${error}), trying ${ips[next]}`);
	const conn = new TcpConnection(c);
	pullMode(conn);
	if (failed.keepAliveMs) conn.keepAliveMs = failed.keepAliveMs;
	if (failed.tls) conn.tls = failed.tls;      // the name's: SNI and the certificate check stay the name's
	c.conn = conn;
	conn.connectTo(ips[next], failed.port);
	return true;
}
