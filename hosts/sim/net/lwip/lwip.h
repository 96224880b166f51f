/* xsnet simulator, lwIP backend: what its files share. lwIP 2.1.3 (Debian's source, tools/lwip-slirp.js) runs in its
 * own tcpip thread as on an ESP32; its netif reaches the host through libslirp (tools/lwip/slirpif.c).
 *
 * Threads, as ESP-IDF code must do it: every raw-API call made for the XS thread runs on the tcpip thread through
 * lwipCall (tcpip_api_call: the XS thread waits for it); lwIP's callbacks (recv, sent, err, accept) run on the tcpip
 * thread and post the seam's upcalls to the loop with simLoopPost (lwipPost). A record both threads see (a
 * connection, a listener, a UDP or ICMP pcb) holds a use count: one for the XS side until it closes, one for the
 * tcpip side while lwIP may call back with it, one per posted message; the last to let go frees it.
 *
 * Addresses: slirp's network is 10.0.2.0/24, lwIP's address comes from slirp's DHCP (10.0.2.15) and slirp's host
 * address 10.0.2.2 is the host's loopback. A destination in 127.0.0.0/8 is sent to 10.0.2.2 (lwipToStack), and
 * 10.0.2.2 is shown to the app as 127.0.0.1 (lwipFromStack): an app written for the host's loopback (the tests'
 * peers) runs unchanged, while its own address is lwIP's. Slirp reaches the host's 127.0.0.1 only: a TCP connection
 * to another 127.x is refused (ERR_RST, as a board's loopback where nothing listens); UDP and ICMP send every 127.x to
 * the host's 127.0.0.1 (the DNS servers tests start on 127.0.0.53 listen there too), and a UDP socket that sent to
 * another 127.x address sees its replies come from that address. */
#ifndef XSNET_LWIP_H
#define XSNET_LWIP_H
#include "net/net.h"
#include "loop.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcpip_priv.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/raw.h"
#include "lwip/pbuf.h"
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LWIP_SLIRP_HOST 0x0202000Au      /* 10.0.2.2 in network order: slirp's host address */
#define LWIP_LOOPBACK 0x0100007Fu        /* 127.0.0.1 in network order */

/* Run `fn` on the tcpip thread and wait for it (tcpip_api_call). `call` begins with struct tcpip_api_call_data. */
err_t lwipCall(tcpip_api_call_fn fn, struct tcpip_api_call_data* call);
/* tcpip thread -> loop: call `fn(data)` there. Out of memory: exits (nothing can report it). */
void lwipPost(void (*fn)(void* data), void* data);
uint32_t lwipToStack(uint32_t address);       /* 127.x.x.x -> 10.0.2.2 */
uint32_t lwipFromStack(uint32_t address);     /* 10.0.2.2 -> 127.0.0.1 */
int lwipErrno(err_t error);                   /* a synchronous failure's errno */
uint32_t lwipOwnAddress(void);                /* the netif's address (DHCP), network order */
/* The use count of a shared record: lwipRelease returns 1 when it was the last (the caller frees). */
static inline void lwipRetain(atomic_int* uses) { atomic_fetch_add(uses, 1); }
static inline int lwipRelease(atomic_int* uses) { return atomic_fetch_sub(uses, 1) == 1; }

/* A pbuf as the seam's simNetBuf: owned by the receiver, pbuf_free when freed (any thread: SYS_LIGHTWEIGHT_PROT).
 * A chain is copied into one owned buffer. NULL when out of memory. Takes over the caller's reference. */
simNetBuf* lwipBuf(struct pbuf* p);

/* tcp.c */
simNetTCP* lwipTCPConnect(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error);
simNetTCP* lwipTCPAccepted(struct tcp_pcb* pcb);   /* tcpip thread: a record for an accepted pcb */
void lwipTCPAdopt(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner);
size_t lwipTCPWrite(simNetTCP* tcp, const void* data, size_t length);
size_t lwipTCPSndbuf(simNetTCP* tcp);
size_t lwipTCPQueued(simNetTCP* tcp);
void lwipTCPRecved(simNetTCP* tcp, size_t length);
void lwipTCPClose(simNetTCP* tcp, int flush);
void lwipTCPAbort(simNetTCP* tcp);
int lwipTCPAddress(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port);
int lwipTCPTTL(simNetTCP* tcp, int ttl);
void lwipTCPOption(simNetTCP* tcp, int option, int value);

/* listener.c */
simNetListener* lwipListen(uint32_t address, uint16_t port, const simNetListenerUpcalls* up, void* owner, int* error);
void lwipListenerAccepting(simNetListener* l, int on);
int lwipListenerAddress(simNetListener* l, uint32_t* address, uint16_t* port);
void lwipListenerClose(simNetListener* l);

/* udp.c */
simNetUDP* lwipUDPOpen(uint32_t address, uint16_t port, uint32_t multicast, const simNetUDPUpcalls* up, void* owner, int* error);
int lwipUDPSendTo(simNetUDP* u, const void* data, size_t length, uint32_t address, uint16_t port);
void lwipUDPReceiving(simNetUDP* u, int on);
int lwipUDPAddress(simNetUDP* u, uint32_t* address, uint16_t* port);
int lwipUDPMulticastTTL(simNetUDP* u, int ttl);
int lwipUDPTTL(simNetUDP* u, int ttl);
void lwipUDPClose(simNetUDP* u);
int lwipMulticastJoin(uint32_t interface, uint32_t group);
int lwipMulticastLeave(uint32_t interface, uint32_t group);

/* icmp.c */
simNetICMP* lwipICMPOpen(const simNetICMPUpcalls* up, void* owner, int* error);
int lwipICMPSendTo(simNetICMP* i, const void* data, size_t length, uint32_t address);
void lwipICMPReceiving(simNetICMP* i, int on);
void lwipICMPClose(simNetICMP* i);

/* netif.c */
int lwipNetif(int index, const char* station, simNetIf* info);

#endif
