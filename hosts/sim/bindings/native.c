/* xsnet simulator: the C of the project's own native module `xsnet/native` (modules/native/native.js), over the
 * network seam. Devices implement the same functions over lwIP in modules/native/lwip. */
#include "bindings.h"

/* getDNSServer(index) -> "a.b.c.d" or "a.b.c.d:port" | undefined  (lwIP dns_getserver) */
void xs_native_get_dns_server(xsMachine* the)
{
	int index = xsToInteger(xsArg(0));
	const char* server;
	if (index < 0 || index >= SIM_DNS_SERVERS)
		xsRangeError("server index out of range [0-1]");
	server = simNetDNSServer(index);
	if (server)
		xsResult = xsString(server);
}

/* setDNSServer(index, "a.b.c.d" | "a.b.c.d:port" | undefined)  (lwIP dns_setserver; the port is for xsnet's
 * resolver): undefined or "0.0.0.0" clears the server. Throws TypeError "invalid dns server ip". */
void xs_native_set_dns_server(xsMachine* the)
{
	int index = xsToInteger(xsArg(0));
	if (index < 0 || index >= SIM_DNS_SERVERS)
		xsRangeError("server index out of range [0-1]");
	if (xsToInteger(xsArgc) < 2 || xsTypeOf(xsArg(1)) == xsUndefinedType || xsTypeOf(xsArg(1)) == xsNullType) {
		simNetSetDNSServer(index, NULL);
		return;
	}
	if (!simNetSetDNSServer(index, xsToString(xsArg(1))))
		xsTypeError("invalid dns server ip");
}

/* ifinfo(index) -> {ip, netmask, gateway?, hwaddr: ArrayBuffer(6), name, dhcp?: {server_ip, client_ip}} | undefined
 * (lwIP: netif; dhcp when the backend's address came from DHCP, the lwIP backend's) */
void xs_native_ifinfo(xsMachine* the)
{
	simNetIf info;
	char text[16];
	if (!simNet()->netif(xsToInteger(xsArg(0)), simNetStation(), &info))
		return;
	xsResult = xsNewObject();
	simFormatIPv4(info.ip, text);
	xsSet(xsResult, xsID("ip"), xsString(text));
	simFormatIPv4(info.netmask, text);
	xsSet(xsResult, xsID("netmask"), xsString(text));
	if (info.gateway) {
		simFormatIPv4(info.gateway, text);
		xsSet(xsResult, xsID("gateway"), xsString(text));
	}
	xsSet(xsResult, xsID("hwaddr"), xsArrayBuffer(info.hwaddr, 6));
	xsSet(xsResult, xsID("name"), xsString(info.name));
	if (info.dhcp) {
		/* as modules/native/lwip/netif.c: the lease's server and offered address */
		xsVars(1);
		xsVar(0) = xsNewObject();
		simFormatIPv4(info.dhcpServer, text);
		xsSet(xsVar(0), xsID("server_ip"), xsString(text));
		simFormatIPv4(info.dhcpClient, text);
		xsSet(xsVar(0), xsID("client_ip"), xsString(text));
		xsSet(xsResult, xsID("dhcp"), xsVar(0));
	}
}

/* ttl(socket[, value]) -> value  (lwIP: pcb->ttl): a connected or connecting TCP, or an open UDP socket.
 * Error "socket is not open/bound yet" for anything else, RangeError for a value out of 0..255. */
void xs_native_ttl(xsMachine* the)
{
	simNetTCP* tcp = simTCPConnection(the, &xsArg(0));
	simNetUDP* udp = tcp ? NULL : simUDPSocket(the, &xsArg(0));
	int ttl = -1;
	if (!tcp && !udp)
		xsUnknownError("socket is not open/bound yet");
	if (xsToInteger(xsArgc) > 1 && xsTypeOf(xsArg(1)) != xsUndefinedType) {
		ttl = xsToInteger(xsArg(1));
		if (ttl < 0 || ttl > 255)
			xsRangeError("invalid ttl");
	}
	ttl = tcp ? simNet()->tcpTTL(tcp, ttl) : simNet()->udpTTL(udp, ttl);
	if (ttl < 0)
		xsUnknownError("ttl: %s", strerror(-ttl));
	xsResult = xsInteger(ttl);
}

/* local(socket, udp) -> [port, "a.b.c.d"] | undefined  (lwIP: pcb->local_port, pcb->local_ip): the local end of a
 * connected or connecting TCP socket (`udp` false) or an open UDP socket (`udp` true), as modules/native/lwip/pcb.c
 * reads it on a board; undefined for a socket of the other kind, a closed one, or an end not known yet. */
void xs_native_local(xsMachine* the)
{
	int udp = xsToInteger(xsArgc) > 1 && xsTest(xsArg(1));
	simNetTCP* tcp = udp ? NULL : simTCPConnection(the, &xsArg(0));
	simNetUDP* u = udp ? simUDPSocket(the, &xsArg(0)) : NULL;
	uint32_t address = 0;
	uint16_t port = 0;
	char text[16];
	if (tcp) {
		if (simNet()->tcpAddress(tcp, 0, &address, &port) < 0)
			return;
	}
	else if (u)
		simNet()->udpAddress(u, &address, &port);
	if (!port)
		return;
	simFormatIPv4(address, text);
	xsResult = xsNewArray(2);
	xsSetAt(xsResult, xsInteger(0), xsInteger(port));
	xsSetAt(xsResult, xsInteger(1), xsString(text));
}

/* The reason a join failed, in the words modules/native/lwip uses for lwIP's err_t. */
static const char* simMulticastReason(int error)
{
	switch (error) {
	case ENODEV: case EADDRNOTAVAIL: case ENETUNREACH: return "no such interface";
	case ENOBUFS: case ENOMEM: return "out of memory";
	default: return strerror(error);
	}
}

/* multicastJoin(ifAddress, group): TypeError "invalid address" (not a dotted quad), RangeError "invalid
 * multicast ip" (outside 224.0.0.0/4), Error "multicast join failed: <reason>" when the system refuses (no
 * interface has `ifAddress`, no route for 0.0.0.0, out of memory); joining twice is harmless.
 * multicastLeave(...): Error "multicast leave failed: not a member" when the group was not joined there. */
static void simMulticast(xsMachine* the, int join)
{
	uint32_t interface = simParseIPv4(the, &xsArg(0));
	uint32_t group = simParseIPv4(the, &xsArg(1));
	int error;
	if ((ntohl(group) & 0xF0000000) != 0xE0000000)
		xsRangeError("invalid multicast ip");
	if (join) {
		error = simNet()->multicastJoin(interface, group);
		if (error < 0)
			xsUnknownError("multicast join failed: %s", simMulticastReason(-error));
	}
	else if (simNet()->multicastLeave(interface, group) < 0)
		xsUnknownError("multicast leave failed: not a member");
}

void xs_native_multicast_join(xsMachine* the) { simMulticast(the, 1); }
void xs_native_multicast_leave(xsMachine* the) { simMulticast(the, 0); }
