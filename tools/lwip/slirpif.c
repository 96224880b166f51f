/* An lwIP Ethernet netif over libslirp (slirpif.h).
 *
 * Threads: lwIP's tcpip thread calls the netif's linkoutput, which hands the frame to slirp_input; a slirp thread
 * polls slirp's host sockets and runs its timers. Slirp is not thread-safe: every call into it holds gSlirpMutex.
 * Frames from slirp (its send_packet callback, in either thread, under the mutex) are copied into a pbuf and queued
 * to the tcpip thread with tcpip_input; nothing here calls lwIP's raw API off its thread.
 * Written for xsnet against lwIP's and libslirp's public headers. */
#define _GNU_SOURCE
#include "slirpif.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcpip_priv.h"   /* tcpip_api_call: run a function on the tcpip thread and wait */
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"
#include <slirp/libslirp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLIRP_FRAME_MAX 1514           /* Ethernet header + MTU 1500 */
#define SLIRP_POLL_MAX 256
#define SLIRP_TIMERS_MAX 16

typedef struct {
	SlirpTimerCb callback;
	void* opaque;
	int64_t expires;                   /* ns on CLOCK_MONOTONIC; -1: not armed */
	int used;
} SlirpTimer;

static pthread_mutex_t gSlirpMutex = PTHREAD_MUTEX_INITIALIZER;
static Slirp* gSlirp;
static struct netif gNetif;
static SlirpTimer gTimers[SLIRP_TIMERS_MAX];
static int gWake[2] = { -1, -1 };     /* a pipe that interrupts the slirp thread's poll() */
static struct pollfd gPoll[SLIRP_POLL_MAX];
static int gPollCount;

static int64_t clockNs(void* opaque)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* slirp -> lwIP: one Ethernet frame, queued to the tcpip thread */
static ssize_t slirpSendPacket(const void* buffer, size_t length, void* opaque)
{
	struct pbuf* p;
	if (length > SLIRP_FRAME_MAX + 4)
		return -1;
	p = pbuf_alloc(PBUF_RAW, (u16_t)length, PBUF_POOL);
	if (!p)
		return -1;
	pbuf_take(p, buffer, (u16_t)length);
	if (gNetif.input(p, &gNetif) != ERR_OK) {
		pbuf_free(p);
		return -1;
	}
	return (ssize_t)length;
}

static void slirpGuestError(const char* message, void* opaque)
{
	fprintf(stderr, "slirp: %s\n", message);
}

static void* slirpTimerNew(SlirpTimerCb callback, void* callbackOpaque, void* opaque)
{
	int i;
	for (i = 0; i < SLIRP_TIMERS_MAX; i++) {
		if (!gTimers[i].used) {
			gTimers[i].used = 1;
			gTimers[i].callback = callback;
			gTimers[i].opaque = callbackOpaque;
			gTimers[i].expires = -1;
			return &gTimers[i];
		}
	}
	fprintf(stderr, "slirp: out of timers\n");
	abort();
}

static void slirpTimerFree(void* timer, void* opaque)
{
	((SlirpTimer*)timer)->used = 0;
}

static void slirpTimerMod(void* timer, int64_t expireMs, void* opaque)
{
	((SlirpTimer*)timer)->expires = expireMs * 1000000LL;   /* slirp gives ms on clock_get_ns's clock */
}

static void slirpRegisterPollFd(int fd, void* opaque) { }
static void slirpUnregisterPollFd(int fd, void* opaque) { }

static void slirpNotify(void* opaque)
{
	char c = 0;
	if (write(gWake[1], &c, 1) < 0) { /* the pipe is full: the thread wakes anyway */ }
}

static int slirpAddPoll(int fd, int events, void* opaque)
{
	short mask = 0;
	if (gPollCount >= SLIRP_POLL_MAX)
		return -1;
	if (events & SLIRP_POLL_IN) mask |= POLLIN;
	if (events & SLIRP_POLL_OUT) mask |= POLLOUT;
	if (events & SLIRP_POLL_PRI) mask |= POLLPRI;
	gPoll[gPollCount].fd = fd;
	gPoll[gPollCount].events = mask;
	gPoll[gPollCount].revents = 0;
	return gPollCount++;
}

static int slirpGetREvents(int index, void* opaque)
{
	short revents = gPoll[index].revents;
	int events = 0;
	if (revents & POLLIN) events |= SLIRP_POLL_IN;
	if (revents & POLLOUT) events |= SLIRP_POLL_OUT;
	if (revents & POLLPRI) events |= SLIRP_POLL_PRI;
	if (revents & POLLERR) events |= SLIRP_POLL_ERR;
	if (revents & POLLHUP) events |= SLIRP_POLL_HUP;
	return events;
}

/* the slirp thread: host sockets and timers */
static void* slirpThread(void* arg)
{
	for (;;) {
		uint32_t timeout = 100;
		int i, n;
		int64_t now;
		pthread_mutex_lock(&gSlirpMutex);
		gPollCount = 0;
		slirpAddPoll(gWake[0], SLIRP_POLL_IN, NULL);
		slirp_pollfds_fill(gSlirp, &timeout, slirpAddPoll, NULL);
		now = clockNs(NULL);
		for (i = 0; i < SLIRP_TIMERS_MAX; i++) {
			if (gTimers[i].used && gTimers[i].expires >= 0) {
				int64_t ms = (gTimers[i].expires - now) / 1000000LL;
				if (ms < 0) ms = 0;
				if ((uint32_t)ms < timeout) timeout = (uint32_t)ms;
			}
		}
		pthread_mutex_unlock(&gSlirpMutex);
		n = poll(gPoll, (nfds_t)gPollCount, (int)timeout);
		if (gPoll[0].revents & POLLIN) {
			char drain[64];
			if (read(gWake[0], drain, sizeof(drain)) < 0) { /* nothing to drain */ }
		}
		pthread_mutex_lock(&gSlirpMutex);
		slirp_pollfds_poll(gSlirp, n < 0, slirpGetREvents, NULL);
		now = clockNs(NULL);
		for (i = 0; i < SLIRP_TIMERS_MAX; i++) {
			if (gTimers[i].used && gTimers[i].expires >= 0 && gTimers[i].expires <= now) {
				gTimers[i].expires = -1;
				gTimers[i].callback(gTimers[i].opaque);
			}
		}
		pthread_mutex_unlock(&gSlirpMutex);
	}
	return NULL;
}

/* lwIP -> slirp: the tcpip thread */
static err_t slirpLinkOutput(struct netif* netif, struct pbuf* p)
{
	uint8_t frame[SLIRP_FRAME_MAX + 4];
	u16_t length = pbuf_copy_partial(p, frame, sizeof(frame), 0);
	pthread_mutex_lock(&gSlirpMutex);
	slirp_input(gSlirp, frame, length);
	pthread_mutex_unlock(&gSlirpMutex);
	slirpNotify(NULL);   /* slirp may have opened a host socket for this frame: poll it now */
	return ERR_OK;
}

static err_t slirpNetifInit(struct netif* netif)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };  /* QEMU's default guest MAC */
	netif->name[0] = 's';
	netif->name[1] = 't';
	netif->output = etharp_output;
	netif->linkoutput = slirpLinkOutput;
	netif->mtu = 1500;
	netif->hwaddr_len = 6;
	memcpy(netif->hwaddr, mac, 6);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP;
#if LWIP_NETIF_HOSTNAME
	netif->hostname = "xsnet";
#endif
	return ERR_OK;
}

typedef struct {
	struct tcpip_api_call_data call;
} AddCall;

static err_t slirpAddInLwip(struct tcpip_api_call_data* call)
{
	netif_add(&gNetif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, slirpNetifInit, tcpip_input);
	netif_set_default(&gNetif);
	netif_set_link_up(&gNetif);
	netif_set_up(&gNetif);
	return ERR_OK;
}

struct netif* xsnetSlirpStart(void)
{
	static const SlirpCb callbacks = {
		.send_packet = slirpSendPacket,
		.guest_error = slirpGuestError,
		.clock_get_ns = clockNs,
		.timer_new = slirpTimerNew,
		.timer_free = slirpTimerFree,
		.timer_mod = slirpTimerMod,
		.register_poll_fd = slirpRegisterPollFd,
		.unregister_poll_fd = slirpUnregisterPollFd,
		.notify = slirpNotify,
	};
	SlirpConfig config;
	pthread_t thread;
	AddCall call;
	memset(&config, 0, sizeof(config));
	config.version = 1;
	config.in_enabled = true;
	inet_pton(AF_INET, "10.0.2.0", &config.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &config.vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &config.vhost);
	inet_pton(AF_INET, "10.0.2.15", &config.vdhcp_start);
	inet_pton(AF_INET, "10.0.2.3", &config.vnameserver);
	config.in6_enabled = false;
	config.vhostname = "xsnet";
	if (pipe(gWake) < 0) {
		perror("slirp: pipe");
		return NULL;
	}
	gSlirp = slirp_new(&config, &callbacks, NULL);
	if (!gSlirp) {
		fprintf(stderr, "slirp: slirp_new failed\n");
		return NULL;
	}
	tcpip_api_call(slirpAddInLwip, &call.call);
	if (pthread_create(&thread, NULL, slirpThread, NULL)) {
		fprintf(stderr, "slirp: no thread\n");
		return NULL;
	}
	return &gNetif;
}

int xsnetSlirpForward(int udp, int add, uint16_t hostPort, uint32_t guestIP, uint16_t guestPort)
{
	struct in_addr host, guest;
	int result;
	host.s_addr = htonl(INADDR_LOOPBACK);
	guest.s_addr = guestIP;
	pthread_mutex_lock(&gSlirpMutex);
	if (add)
		result = slirp_add_hostfwd(gSlirp, udp, host, hostPort, guest, guestPort);
	else
		result = slirp_remove_hostfwd(gSlirp, udp, host, hostPort);
	pthread_mutex_unlock(&gSlirpMutex);
	slirpNotify(NULL);   /* the slirp thread polls the new listening socket */
	return result < 0 ? -1 : 0;
}
