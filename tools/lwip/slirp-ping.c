/* The standalone lwIP + libslirp check (tools/lwip-slirp.js builds it, tests/native-lwip-slirp.test.js runs it):
 * lwIP in its own tcpip thread gets a DHCP lease from slirp, then pings slirp's host address 10.0.2.2 through a raw
 * ICMP pcb, every lwIP call posted to the tcpip thread as ESP-IDF code must. Prints the lease and the replies:
 *   lease ip 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 server 10.0.2.2
 *   ping 10.0.2.2 3/3
 * Exit 0 when both worked, 1 otherwise, 2 when refused: slirp forwards any destination to the real network, so this
 * runs only in a network namespace of its own with nothing but loopback (`unshare --net`), unless
 * --outside-namespace is given.
 * Written for xsnet against lwIP's and libslirp's public headers. */
#define _GNU_SOURCE
#include "slirpif.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcpip_priv.h"   /* tcpip_api_call: run a function on the tcpip thread and wait */
#include "lwip/dhcp.h"
#include "lwip/raw.h"
#include "lwip/inet_chksum.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/ip4.h"
#include <net/if.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PINGS 3

static pthread_mutex_t gMutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gCondition = PTHREAD_COND_INITIALIZER;
static int gReady = 0, gReplies = 0;

typedef struct {
	struct tcpip_api_call_data call;
	struct netif* netif;
	struct raw_pcb* pcb;
	uint16_t sequence;
	int bound;
	ip4_addr_t ip, netmask, gateway, server;
	err_t err;
} Call;

static void signalReady(void* arg)
{
	pthread_mutex_lock(&gMutex);
	gReady = 1;
	pthread_cond_broadcast(&gCondition);
	pthread_mutex_unlock(&gMutex);
}

/* wait up to `ms` for `*value >= target`, under gMutex */
static int waitFor(int* value, int target, int ms)
{
	struct timespec until;
	int reached;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
	pthread_mutex_lock(&gMutex);
	while (*value < target && pthread_cond_timedwait(&gCondition, &gMutex, &until) == 0)
		;
	reached = *value >= target;
	pthread_mutex_unlock(&gMutex);
	return reached;
}

/* Only loopback here? Then no frame that slirp forwards can leave this machine. */
static int loopbackOnly(void)
{
	struct if_nameindex* names = if_nameindex();
	int i, only = 1;
	if (!names)
		return 0;
	for (i = 0; names[i].if_index; i++) {
		if (strcmp(names[i].if_name, "lo"))
			only = 0;
	}
	if_freenameindex(names);
	return only;
}

static err_t startDHCP(struct tcpip_api_call_data* call)
{
	Call* c = (Call*)call;
	return c->err = dhcp_start(c->netif);
}

static err_t readLease(struct tcpip_api_call_data* call)
{
	Call* c = (Call*)call;
	struct dhcp* dhcp = netif_dhcp_data(c->netif);
	c->bound = dhcp_supplied_address(c->netif);
	ip4_addr_copy(c->ip, *netif_ip4_addr(c->netif));
	ip4_addr_copy(c->netmask, *netif_ip4_netmask(c->netif));
	ip4_addr_copy(c->gateway, *netif_ip4_gw(c->netif));
	ip4_addr_set_zero(&c->server);
	if (dhcp)
		ip4_addr_copy(c->server, *ip_2_ip4(&dhcp->server_ip_addr));
	return ERR_OK;
}

/* tcpip thread: echo replies from 10.0.2.2 */
static u8_t receiveICMP(void* arg, struct raw_pcb* pcb, struct pbuf* p, const ip_addr_t* addr)
{
	u16_t header = IPH_HL_BYTES((struct ip_hdr*)p->payload);
	if (p->tot_len < header + 8 || pbuf_get_at(p, header) != ICMP_ER)
		return 0;
	pthread_mutex_lock(&gMutex);
	gReplies++;
	pthread_cond_broadcast(&gCondition);
	pthread_mutex_unlock(&gMutex);
	pbuf_free(p);
	return 1;
}

static err_t openICMP(struct tcpip_api_call_data* call)
{
	Call* c = (Call*)call;
	c->pcb = raw_new(IP_PROTO_ICMP);
	if (!c->pcb)
		return c->err = ERR_MEM;
	raw_recv(c->pcb, receiveICMP, NULL);
	raw_bind(c->pcb, IP_ADDR_ANY);
	return c->err = ERR_OK;
}

static err_t sendEcho(struct tcpip_api_call_data* call)
{
	Call* c = (Call*)call;
	ip_addr_t to;
	struct icmp_echo_hdr* echo;
	struct pbuf* p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + 32, PBUF_RAM);
	if (!p)
		return c->err = ERR_MEM;
	echo = p->payload;
	ICMPH_TYPE_SET(echo, ICMP_ECHO);
	ICMPH_CODE_SET(echo, 0);
	echo->id = lwip_htons(0x7873);
	echo->seqno = lwip_htons(c->sequence);
	memset((uint8_t*)p->payload + sizeof(struct icmp_echo_hdr), 'x', 32);
	echo->chksum = 0;
	echo->chksum = inet_chksum(echo, p->len);
	IP_ADDR4(&to, 10, 0, 2, 2);
	c->err = raw_sendto(c->pcb, p, &to);
	pbuf_free(p);
	return c->err;
}

int main(int argc, char* argv[])
{
	Call c;
	char ip[16], netmask[16], gateway[16], server[16];
	int i;
	if (!(argc > 1 && !strcmp(argv[1], "--outside-namespace")) && !loopbackOnly()) {
		fprintf(stderr, "slirp-ping: refused: slirp forwards to the real network; run inside `unshare --net` "
			"(loopback only), or pass --outside-namespace\n");
		return 2;
	}
	memset(&c, 0, sizeof(c));
	tcpip_init(signalReady, NULL);
	waitFor(&gReady, 1, 5000);
	c.netif = xsnetSlirpStart();
	if (!c.netif)
		return 1;
	tcpip_api_call(startDHCP, &c.call);
	for (i = 0; i < 100; i++) {        /* 10 s */
		tcpip_api_call(readLease, &c.call);
		if (c.bound)
			break;
		usleep(100000);
	}
	ip4addr_ntoa_r(&c.ip, ip, sizeof(ip));
	ip4addr_ntoa_r(&c.netmask, netmask, sizeof(netmask));
	ip4addr_ntoa_r(&c.gateway, gateway, sizeof(gateway));
	ip4addr_ntoa_r(&c.server, server, sizeof(server));
	printf("lease %s ip %s netmask %s gateway %s server %s\n", c.bound ? "bound" : "none", ip, netmask, gateway, server);
	fflush(stdout);
	if (!c.bound)
		return 1;
	tcpip_api_call(openICMP, &c.call);
	if (c.err != ERR_OK)
		return 1;
	for (i = 0; i < PINGS; i++) {
		c.sequence = (uint16_t)(i + 1);
		tcpip_api_call(sendEcho, &c.call);
		waitFor(&gReplies, i + 1, 2000);
	}
	pthread_mutex_lock(&gMutex);
	i = gReplies;
	pthread_mutex_unlock(&gMutex);
	printf("ping 10.0.2.2 %d/%d\n", i, PINGS);
	return i == PINGS ? 0 : 1;
}
