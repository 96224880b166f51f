/* xsnet simulator: the C of the project's own native module `xsnet/native` (modules/native/native.js).
 * Devices implement the same functions over lwIP in modules/native. */
#include "sim.h"

#include <arpa/inet.h>
#include "dnsserver.h"     /* modules/native/lin: the rules of a DNS server setting, as on Moddable's lin */

#define SIM_DNS_SERVERS 2    /* lwIP's DNS_MAX_SERVERS on ESP8266/ESP32 NodeMCU builds */
#define SIM_DNS_SERVER_MAX XSNET_SERVER_MAX
static char gDNSServers[SIM_DNS_SERVERS][SIM_DNS_SERVER_MAX];


/* --dns: server `index`; NULL clears it. A malformed address is reported on stderr and leaves it unset. */
void simSetDNSServer(int index, const char* address)
{
	if (index < 0 || index >= SIM_DNS_SERVERS)
		return;
	gDNSServers[index][0] = 0;
	if (address && !xsnetParseDNSServer(address, gDNSServers[index]))
		fprintf(stderr, "xsnet-sim: invalid DNS server %s (a.b.c.d or a.b.c.d:port)\n", address);
}

/* getDNSServer(index) -> "a.b.c.d" or "a.b.c.d:port" | undefined  (lwIP dns_getserver) */
void xs_native_get_dns_server(xsMachine* the)
{
	int index = xsToInteger(xsArg(0));
	if (index < 0 || index >= SIM_DNS_SERVERS)
		xsRangeError("server index out of range [0-1]");
	if (gDNSServers[index][0])
		xsResult = xsString(gDNSServers[index]);
}

/* setDNSServer(index, "a.b.c.d" | "a.b.c.d:port" | undefined)  (lwIP dns_setserver; the port is for xsnet's
 * resolver): undefined or "0.0.0.0" clears the server. Throws TypeError "invalid dns server ip". */
void xs_native_set_dns_server(xsMachine* the)
{
	int index = xsToInteger(xsArg(0));
	char server[SIM_DNS_SERVER_MAX];
	if (index < 0 || index >= SIM_DNS_SERVERS)
		xsRangeError("server index out of range [0-1]");
	if (xsToInteger(xsArgc) < 2 || xsTypeOf(xsArg(1)) == xsUndefinedType || xsTypeOf(xsArg(1)) == xsNullType) {
		gDNSServers[index][0] = 0;
		return;
	}
	if (!xsnetParseDNSServer(xsToString(xsArg(1)), server))
		xsTypeError("invalid dns server ip");
	memcpy(gDNSServers[index], server, sizeof(server));
}

/* ---- interface information: net.ifinfo() ---- */
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>

static char* gStation = NULL;   /* --netif NAME; default: the first up IPv4 interface that is not loopback, else lo */

void simSetStationInterface(const char* name)
{
	free(gStation);
	gStation = name ? strdup(name) : NULL;
}

static int simFindInterface(int index, char* name, uint32_t* ip, uint32_t* mask)
{
	struct ifaddrs *list, *a;
	int found = 0;
	if (index != 0)
		return 0;               /* the simulator has a station interface, no access point */
	if (getifaddrs(&list) != 0)
		return 0;
	for (int pass = 0; pass < 3 && !found; pass++) {
		for (a = list; a; a = a->ifa_next) {
			if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || !(a->ifa_flags & IFF_UP))
				continue;
			if (pass == 0 && (!gStation || strcmp(a->ifa_name, gStation)))
				continue;
			if (pass == 1 && (gStation || (a->ifa_flags & IFF_LOOPBACK)))
				continue;
			if (pass == 2 && (gStation || !(a->ifa_flags & IFF_LOOPBACK)))
				continue;
			snprintf(name, IFNAMSIZ, "%s", a->ifa_name);
			*ip = ((struct sockaddr_in*)a->ifa_addr)->sin_addr.s_addr;
			*mask = a->ifa_netmask ? ((struct sockaddr_in*)a->ifa_netmask)->sin_addr.s_addr : 0;
			found = 1;
			break;
		}
	}
	freeifaddrs(list);
	return found;
}

static uint32_t simGateway(const char* name)
{
	FILE* f = fopen("/proc/net/route", "r");
	char line[256], iface[IFNAMSIZ + 1];
	unsigned destination, gateway, flags;
	uint32_t result = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%16s %x %x %x", iface, &destination, &gateway, &flags) == 4
			&& !strcmp(iface, name) && destination == 0 && (flags & 0x2 /* RTF_GATEWAY */)) {
			result = gateway;
			break;
		}
	}
	fclose(f);
	return result;
}

/* ifinfo(index) -> {ip, netmask, gateway?, hwaddr: ArrayBuffer(6)} | undefined  (lwIP: netif) */
void xs_native_ifinfo(xsMachine* the)
{
	char name[IFNAMSIZ], text[16];
	uint32_t ip, mask, gateway;
	uint8_t hwaddr[6] = { 0 };
	struct ifreq request;
	int fd;
	if (!simFindInterface(xsToInteger(xsArg(0)), name, &ip, &mask))
		return;
	memset(&request, 0, sizeof(request));
	snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (ioctl(fd, SIOCGIFHWADDR, &request) == 0)
			memcpy(hwaddr, request.ifr_hwaddr.sa_data, 6);
		close(fd);
	}
	xsResult = xsNewObject();
	simFormatIPv4(ip, text);
	xsSet(xsResult, xsID("ip"), xsString(text));
	simFormatIPv4(mask, text);
	xsSet(xsResult, xsID("netmask"), xsString(text));
	gateway = simGateway(name);
	if (gateway) {
		simFormatIPv4(gateway, text);
		xsSet(xsResult, xsID("gateway"), xsString(text));
	}
	xsSet(xsResult, xsID("hwaddr"), xsArrayBuffer(hwaddr, 6));
	xsSet(xsResult, xsID("name"), xsString(name));
}

/* ---- IP TTL of a socket: ttl(socket[, value]) -> value  (lwIP: pcb->ttl) ---- */
void xs_native_ttl(xsMachine* the)
{
	int fd = simTCPDescriptor(the, &xsArg(0)), ttl;
	socklen_t length = sizeof(ttl);
	if (fd < 0)
		fd = simUDPDescriptor(the, &xsArg(0));
	if (fd < 0)
		xsUnknownError("socket is not open/bound yet");
	if (xsToInteger(xsArgc) > 1 && xsTypeOf(xsArg(1)) != xsUndefinedType) {
		ttl = xsToInteger(xsArg(1));
		if (ttl < 0 || ttl > 255)
			xsRangeError("invalid ttl");
		if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0
			|| setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0) {
			/* TCP sockets refuse IP_MULTICAST_TTL: only IP_TTL matters there */
			if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0)
				xsUnknownError("ttl: %s", strerror(errno));
		}
	}
	if (getsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, &length) < 0)
		xsUnknownError("ttl: %s", strerror(errno));
	xsResult = xsInteger(ttl);
}

/* ---- multicast membership: multicastJoin(interface, group), multicastLeave(...)  (lwIP: igmp) ---- */
/* The reason a join failed, in the words modules/native/lwip uses for lwIP's err_t. */
static const char* simMulticastReason(int error)
{
	switch (error) {
	case ENODEV: case EADDRNOTAVAIL: case ENETUNREACH: return "no such interface";
	case ENOBUFS: case ENOMEM: return "out of memory";
	default: return strerror(error);
	}
}

/* Whether the system lets a socket join `group` on `interface`: 0 or an errno. A UDP socket of its own, so
 * that a join is checked whether or not the app has a UDP socket open (lwIP's igmp_joingroup() checks the
 * interface at once too). */
static int simMulticastProbe(uint32_t interface, uint32_t group)
{
	struct ip_mreq m;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), error = 0;
	if (fd < 0)
		return errno;
	m.imr_multiaddr.s_addr = group;
	m.imr_interface.s_addr = interface;
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) < 0)
		error = errno;
	close(fd);                  /* the probe's membership ends with it */
	return error;
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
		error = simMulticastProbe(interface, group);
		if (!error)
			error = simMulticastJoin(interface, group);
		if (error)
			xsUnknownError("multicast join failed: %s", simMulticastReason(error));
	}
	else if (simMulticastLeave(interface, group))
		xsUnknownError("multicast leave failed: not a member");
}

void xs_native_multicast_join(xsMachine* the) { simMulticast(the, 1); }
void xs_native_multicast_leave(xsMachine* the) { simMulticast(the, 0); }
