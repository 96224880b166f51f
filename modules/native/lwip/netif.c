/* xsnet/native for boards: interface information and multicast membership, over lwIP 2.x.
 * Written for xsnet against lwIP's public headers. */
#include "xsmc.h"
#include "xsHost.h"
#include "lwip/init.h"

#if LWIP_VERSION_MAJOR >= 2
#include "lwip/netif.h"
#include "lwip/ip_addr.h"
#include "lwip/igmp.h"
#if LWIP_DHCP
	#include "lwip/dhcp.h"
#endif

/* Station = the netif named "st" (ESP-IDF), access point = "ap"; else index 0 = the default netif. */
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

/* ifinfo(index) -> {ip, netmask, gateway?, hwaddr: ArrayBuffer(6), dhcp?} | undefined */
void xs_native_ifinfo(xsMachine* the)
{
	struct netif* netif = xsnetFindNetif(xsmcToInteger(xsArg(0)));
	if (!netif)
		return;
	xsmcVars(2);
	xsmcSetNewObject(xsResult);
	xsnetSetAddress(the, &xsResult, "ip", netif_ip4_addr(netif), 0);
	xsnetSetAddress(the, &xsResult, "netmask", netif_ip4_netmask(netif), 0);
	xsnetSetAddress(the, &xsResult, "gateway", netif_ip4_gw(netif), 1);
	xsmcSetArrayBuffer(xsVar(1), netif->hwaddr, netif->hwaddr_len < 6 ? netif->hwaddr_len : 6);
	xsmcSet(xsResult, xsID("hwaddr"), xsVar(1));
#if LWIP_DHCP
	{
		struct dhcp* dhcp = netif_dhcp_data(netif);
		if (dhcp && dhcp->state != 0) {
			xsmcSetNewObject(xsVar(1));
			xsnetSetAddress(the, &xsVar(1), "server_ip", ip_2_ip4(&dhcp->server_ip_addr), 1);
			xsnetSetAddress(the, &xsVar(1), "client_ip", &dhcp->offered_ip_addr, 1);
			xsmcSet(xsResult, xsID("dhcp"), xsVar(1));
		}
	}
#endif
}

static void xsnetMulticast(xsMachine* the, int join)
{
	ip4_addr_t interface, group;
	err_t err;
	if (!ip4addr_aton(xsmcToString(xsArg(0)), &interface))
		xsTypeError("invalid if ip");
	if (!ip4addr_aton(xsmcToString(xsArg(1)), &group) || !ip4_addr_ismulticast(&group))
		xsRangeError("invalid multicast ip");
	err = join ? igmp_joingroup(&interface, &group) : igmp_leavegroup(&interface, &group);
	if (err == ERR_OK)
		return;
	/* the simulator's messages (hosts/sim/native.c): ERR_VAL = no netif with that address (join) or no such
	 * membership (leave); ERR_MEM = no igmp_group left (MEMP_NUM_IGMP_GROUP) */
	if (!join)
		xsUnknownError("multicast leave failed: not a member");
	if (err == ERR_VAL)
		xsUnknownError("multicast join failed: no such interface");
	if (err == ERR_MEM)
		xsUnknownError("multicast join failed: out of memory");
	xsUnknownError("multicast join failed: lwIP error %d", (int)err);
}

/* multicastJoin(ifAddress, group), multicastLeave(ifAddress, group): lwIP's membership is global */
void xs_native_multicast_join(xsMachine* the) { xsnetMulticast(the, 1); }
void xs_native_multicast_leave(xsMachine* the) { xsnetMulticast(the, 0); }

/* ttl(socket[, value]): Moddable's ECMA-419 classes keep their pcb private, so boards cannot reach it yet. */
void xs_native_ttl(xsMachine* the)
{
	xsUnknownError("ttl() is not available on this platform yet");
}

#else /* lwIP 1.4 (ESP8266): not available yet */
void xs_native_ifinfo(xsMachine* the) { xsUnknownError("ifinfo() needs lwIP 2"); }
void xs_native_multicast_join(xsMachine* the) { xsUnknownError("multicast needs lwIP 2"); }
void xs_native_multicast_leave(xsMachine* the) { xsUnknownError("multicast needs lwIP 2"); }
void xs_native_ttl(xsMachine* the) { xsUnknownError("ttl() is not available on this platform yet"); }
#endif
