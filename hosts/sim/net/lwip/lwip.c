/* xsnet simulator, lwIP backend: start-up (the tcpip thread, the slirp netif, the DHCP lease, the namespace
 * check), its table of the seam's functions, and what its files share (lwip.h). */
#include "lwip.h"
#include "net/backends.h"
#include "slirpif.h"
#include "lwip/dhcp.h"
#include "lwip/init.h"
#include <net/if.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#define LWIP_DHCP_WAIT_MS 10000   /* a board waits for its "got IP" event; slirp answers in milliseconds */

static struct netif* gNetif = NULL;

err_t lwipCall(tcpip_api_call_fn fn, struct tcpip_api_call_data* call)
{
	return tcpip_api_call(fn, call);
}

void lwipPost(void (*fn)(void* data), void* data)
{
	if (simLoopPost(fn, data) < 0) {
		fprintf(stderr, "xsnet-sim: out of memory posting an lwIP event\n");
		abort();
	}
}

uint32_t lwipToStack(uint32_t address)
{
	return (address & 0xFF) == 127 ? LWIP_SLIRP_HOST : address;   /* network order: the first byte is the lowest */
}

uint32_t lwipFromStack(uint32_t address)
{
	return address == LWIP_SLIRP_HOST ? LWIP_LOOPBACK : address;
}

int lwipErrno(err_t error)
{
	switch (error) {
	case ERR_OK: return 0;
	case ERR_MEM:
	case ERR_BUF: return ENOMEM;
	case ERR_RTE: return EHOSTUNREACH;
	case ERR_USE: return EADDRINUSE;
	case ERR_ISCONN: return EISCONN;
	case ERR_VAL:
	case ERR_ARG: return EINVAL;
	default: return EIO;
	}
}

typedef struct {
	struct tcpip_api_call_data call;
	uint32_t ip;
	int bound;
} lwipAddressCall;

static err_t lwipReadAddress(struct tcpip_api_call_data* call)
{
	lwipAddressCall* c = (lwipAddressCall*)call;
	c->ip = ip4_addr_get_u32(netif_ip4_addr(gNetif));
	c->bound = dhcp_supplied_address(gNetif);
	return ERR_OK;
}

uint32_t lwipOwnAddress(void)
{
	lwipAddressCall c;
	lwipCall(lwipReadAddress, &c.call);
	return c.ip;
}

/* pbufs as simNetBuf */
typedef struct {
	simNetBuf buf;
	struct pbuf* p;
} lwipPbufBuf;

static void lwipBufFree(simNetBuf* buf)
{
	pbuf_free(((lwipPbufBuf*)buf)->p);
	free(buf);
}

static simNetBuf* lwipBufHold(simNetBuf* buf)
{
	return buf;                   /* owned already */
}

simNetBuf* lwipBuf(struct pbuf* p)
{
	lwipPbufBuf* b;
	simNetBuf* copy;
	if (p->next) {
		uint8_t* data = malloc(p->tot_len);
		copy = NULL;
		if (data) {
			pbuf_copy_partial(p, data, p->tot_len, 0);
			copy = simNetBufNew(data, p->tot_len);
			free(data);
		}
		pbuf_free(p);
		return copy;
	}
	b = malloc(sizeof(lwipPbufBuf));
	if (!b) {
		pbuf_free(p);
		return NULL;
	}
	b->p = p;
	b->buf.data = p->payload;
	b->buf.length = p->len;
	b->buf.free = lwipBufFree;
	b->buf.hold = lwipBufHold;
	return &b->buf;
}

/* Only loopback here? Then nothing slirp forwards can leave the machine (slirp-ping.c checks the same). */
static int lwipLoopbackOnly(void)
{
	struct if_nameindex* names = if_nameindex();
	int i, only = 1;
	if (!names)
		return 0;
	for (i = 0; names[i].if_index; i++)
		if (strcmp(names[i].if_name, "lo"))
			only = 0;
	if_freenameindex(names);
	return only;
}

static pthread_mutex_t gStartLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gStarted = PTHREAD_COND_INITIALIZER;
static int gTcpipReady = 0;

static void lwipTcpipReady(void* arg)
{
	pthread_mutex_lock(&gStartLock);
	gTcpipReady = 1;
	pthread_cond_broadcast(&gStarted);
	pthread_mutex_unlock(&gStartLock);
}

static err_t lwipStartDHCP(struct tcpip_api_call_data* call)
{
	return dhcp_start(gNetif);
}

static const simNetFunctions gLwIP = {
	"lwip",
	lwipTCPConnect, lwipTCPAdopt, lwipTCPWrite, lwipTCPSndbuf, lwipTCPQueued, lwipTCPRecved,
	lwipTCPClose, lwipTCPAbort, lwipTCPAddress, lwipTCPTTL, lwipTCPOption,
	lwipListen, lwipListenerAccepting, lwipListenerAddress, lwipListenerClose,
	lwipUDPOpen, lwipUDPSendTo, lwipUDPReceiving, lwipUDPAddress, lwipUDPMulticastTTL,
	lwipUDPTTL, lwipUDPClose,
	lwipICMPOpen, lwipICMPSendTo, lwipICMPReceiving, lwipICMPClose,
	lwipMulticastJoin, lwipMulticastLeave, lwipNetif,
	1,                            /* Moddable's lwIP classes: onError() without a code, write() refusals */
};

const simNetFunctions* simNetLwIP(int outsideNamespace)
{
	struct tcpip_api_call_data call;
	double until;
	if (!lwipLoopbackOnly() && !outsideNamespace) {
		fprintf(stderr, "xsnet-sim: --stack lwip refused: slirp forwards to the real network, and this network namespace "
			"has interfaces besides loopback; run inside `unshare --net` (xsnet run --stack lwip does), or pass "
			"--outside-namespace\n");
		return NULL;
	}
	tcpip_init(lwipTcpipReady, NULL);
	pthread_mutex_lock(&gStartLock);
	while (!gTcpipReady)
		pthread_cond_wait(&gStarted, &gStartLock);
	pthread_mutex_unlock(&gStartLock);
	gNetif = xsnetSlirpStart();
	if (!gNetif)
		return NULL;
	if (lwipCall(lwipStartDHCP, &call) != ERR_OK) {
		fprintf(stderr, "xsnet-sim: lwIP's DHCP did not start\n");
		return NULL;
	}
	until = simNow() + LWIP_DHCP_WAIT_MS;
	for (;;) {
		lwipAddressCall c;
		lwipCall(lwipReadAddress, &c.call);
		if (c.bound)
			break;
		if (simNow() > until) {
			fprintf(stderr, "xsnet-sim: no DHCP lease from slirp in %d ms\n", LWIP_DHCP_WAIT_MS);
			return NULL;
		}
		usleep(2000);
	}
	return &gLwIP;
}

/* The netif for xsnet/native's ifinfo: index 0, the station (lwIP's "st" netif, its DHCP lease). */
typedef struct {
	struct tcpip_api_call_data call;
	simNetIf* info;
} lwipNetifCall;

static err_t lwipReadNetif(struct tcpip_api_call_data* call)
{
	lwipNetifCall* c = (lwipNetifCall*)call;
	snprintf(c->info->name, sizeof(c->info->name), "%c%c%d", gNetif->name[0], gNetif->name[1], gNetif->num);
	c->info->ip = ip4_addr_get_u32(netif_ip4_addr(gNetif));
	c->info->netmask = ip4_addr_get_u32(netif_ip4_netmask(gNetif));
	c->info->gateway = ip4_addr_get_u32(netif_ip4_gw(gNetif));
	memcpy(c->info->hwaddr, gNetif->hwaddr, 6);
	{
		struct dhcp* dhcp = netif_dhcp_data(gNetif);
		if (dhcp && dhcp->state != 0) {  /* as modules/native/lwip/netif.c reads it on a board */
			c->info->dhcp = 1;
			c->info->dhcpServer = ip4_addr_get_u32(ip_2_ip4(&dhcp->server_ip_addr));
			c->info->dhcpClient = ip4_addr_get_u32(&dhcp->offered_ip_addr);
		}
	}
	return ERR_OK;
}

int lwipNetif(int index, const char* station, simNetIf* info)
{
	lwipNetifCall c;
	if (index != 0)
		return 0;
	memset(info, 0, sizeof(*info));
	c.info = info;
	lwipCall(lwipReadNetif, &c.call);
	return 1;
}
