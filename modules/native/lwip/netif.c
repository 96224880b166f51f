/* xsnet/native for boards: interface information and multicast membership, over lwIP 2.x.
 * The netif list, DHCP state and IGMP groups are lwIP's: read and changed on lwIP's thread (lwipcall.h).
 * Written for xsnet against lwIP's public headers. */
#include "xsmc.h"
#include "xsHost.h"
#include "lwip/init.h"

#if LWIP_VERSION_MAJOR >= 2
#include "lwip/netif.h"
#include "lwip/ip_addr.h"
#include "lwip/igmp.h"
#include "lwip/ip.h"
#if LWIP_DHCP
	#include "lwip/dhcp.h"
#endif
#include "lwipcall.h"
#include <string.h>

/* What ifinfo() reports, copied on lwIP's thread. */
typedef struct {
	xsnetLwipCallData call;
	int index;
	uint8_t found;
	ip4_addr_t ip, netmask, gateway;
	uint8_t hwaddr[6];
	uint8_t hwaddrLength;
	uint8_t dhcp;
	ip4_addr_t dhcpServer, dhcpClient;
} xsnetIfinfoCall;

typedef struct {
	xsnetLwipCallData call;
	ip4_addr_t interface, group;
	uint8_t join;
	err_t err;
} xsnetMulticastCall;

/* Station = the netif named "st" (ESP-IDF), access point = "ap"; else index 0 = the default netif. lwIP's thread. */
static struct netif* xsnetFindNetif(int index)
{
	struct netif* netif;
	const char* name = index == 0 ? "st" : "ap";
	if (index < 0 || index > 1)
		return NULL;
	NETIF_FOREACH(netif) {
		if (netif->name[0] == name[0] && netif->name[1] == name[1])
			return netif;
	}
	return index == 0 ? netif_default : NULL;
}

static err_t xsnetIfinfoInLwip(xsnetLwipCallData* call)
{
	xsnetIfinfoCall* c = (xsnetIfinfoCall*)call;
	struct netif* netif = xsnetFindNetif(c->index);
	c->found = netif != NULL;
	if (!netif)
		return ERR_OK;
	ip4_addr_copy(c->ip, *netif_ip4_addr(netif));
	ip4_addr_copy(c->netmask, *netif_ip4_netmask(netif));
	ip4_addr_copy(c->gateway, *netif_ip4_gw(netif));
	c->hwaddrLength = netif->hwaddr_len < 6 ? netif->hwaddr_len : 6;
	memcpy(c->hwaddr, netif->hwaddr, c->hwaddrLength);
	c->dhcp = 0;
#if LWIP_DHCP
	{
		struct dhcp* dhcp = netif_dhcp_data(netif);
		if (dhcp && dhcp->state != 0) {
			c->dhcp = 1;
			ip4_addr_copy(c->dhcpServer, *ip_2_ip4(&dhcp->server_ip_addr));
			ip4_addr_copy(c->dhcpClient, dhcp->offered_ip_addr);
		}
	}
#endif
	return ERR_OK;
}

static void xsnetSetAddress(xsMachine* the, xsSlot* object, const char* key, const ip4_addr_t* a, int omitAny)
{
	char text[IP4ADDR_STRLEN_MAX];
	if (omitAny && ip4_addr_isany(a))
		return;
	ip4addr_ntoa_r(a, text, sizeof(text));
	xsmcVars(1);
	xsmcSetString(xsVar(0), text);
	xsmcSet(*object, xsID(key), xsVar(0));
}

/* ifinfo(index) -> {ip, netmask, gateway?, hwaddr: ArrayBuffer(6), dhcp?: {server_ip?, client_ip?}} | undefined.
 * index 0: station, 1: access point (NodeMCU net.ifinfo). */
void xs_native_ifinfo(xsMachine* the)
{
	xsnetIfinfoCall c;
	c.index = xsmcToInteger(xsArg(0));
	xsnetLwipCall(xsnetIfinfoInLwip, &c);
	if (!c.found)
		return;
	xsmcVars(2);
	xsmcSetNewObject(xsResult);
	xsnetSetAddress(the, &xsResult, "ip", &c.ip, 0);
	xsnetSetAddress(the, &xsResult, "netmask", &c.netmask, 0);
	xsnetSetAddress(the, &xsResult, "gateway", &c.gateway, 1);
	xsmcSetArrayBuffer(xsVar(1), c.hwaddr, c.hwaddrLength);
	xsmcSet(xsResult, xsID("hwaddr"), xsVar(1));
	if (c.dhcp) {
		xsmcSetNewObject(xsVar(1));
		xsnetSetAddress(the, &xsVar(1), "server_ip", &c.dhcpServer, 1);
		xsnetSetAddress(the, &xsVar(1), "client_ip", &c.dhcpClient, 1);
		xsmcSet(xsResult, xsID("dhcp"), xsVar(1));
	}
}

static err_t xsnetMulticastInLwip(xsnetLwipCallData* call)
{
	xsnetMulticastCall* c = (xsnetMulticastCall*)call;
	c->err = c->join ? igmp_joingroup(&c->interface, &c->group) : igmp_leavegroup(&c->interface, &c->group);
	return c->err;
}

static void xsnetMulticast(xsMachine* the, int join)
{
	xsnetMulticastCall c;
	if (!ip4addr_aton(xsmcToString(xsArg(0)), &c.interface))
		xsTypeError("invalid if ip");
	if (!ip4addr_aton(xsmcToString(xsArg(1)), &c.group) || !ip4_addr_ismulticast(&c.group))
		xsRangeError("invalid multicast ip");
	c.join = (uint8_t)join;
	xsnetLwipCall(xsnetMulticastInLwip, &c);
	if (c.err == ERR_OK)
		return;
	/* the simulator's messages (hosts/sim/bindings/native.c): ERR_VAL = no netif with that address (join) or no such
	 * membership (leave); ERR_MEM = no igmp_group left (MEMP_NUM_IGMP_GROUP) */
	if (!join)
		xsUnknownError("multicast leave failed: not a member");
	if (c.err == ERR_VAL)
		xsUnknownError("multicast join failed: no such interface");
	if (c.err == ERR_MEM)
		xsUnknownError("multicast join failed: out of memory");
	xsUnknownError("multicast join failed: lwIP error %d", (int)c.err);
}

/* multicastJoin(ifAddress, group), multicastLeave(ifAddress, group): lwIP's membership is global */
void xs_native_multicast_join(xsMachine* the) { xsnetMulticast(the, 1); }
void xs_native_multicast_leave(xsMachine* the) { xsnetMulticast(the, 0); }

#else /* lwIP 1.4 (ESP8266): not available yet */
void xs_native_ifinfo(xsMachine* the) { xsUnknownError("ifinfo() needs lwIP 2"); }
void xs_native_multicast_join(xsMachine* the) { xsUnknownError("multicast needs lwIP 2"); }
void xs_native_multicast_leave(xsMachine* the) { xsUnknownError("multicast needs lwIP 2"); }
#endif
