/* xsnet simulator: the network seam. The bindings (hosts/sim/bindings) reach the network only through this
 * header; a backend implements it: POSIX sockets (net/posix), the fault-injecting wrapper (net/fault), later lwIP.
 * In the spirit of lwIP's `struct altcp_functions`: a table of downcalls, and upcalls to the owner of each
 * connection. No file descriptor crosses it.
 *
 * Rules every backend keeps:
 * - Upcalls come on the loop's thread (a backend running in its own thread, as lwIP's tcpip thread, posts
 *   them with simLoopPost) and never from inside a downcall: a failure found by a downcall is reported from
 *   the loop.
 * - After close or abort, no upcall follows; the backend frees its record (later, if inside its own upcall).
 * - Received bytes come in a simNetBuf that the receiver owns and frees (lwIP: a pbuf); the window is opened
 *   again with tcpRecved (lwIP: tcp_recved), so a receiver that does not consume stops the peer.
 * - Synchronous failures (creating, binding) return NULL or a negative errno; asynchronous ones come as
 *   failed(err_t), the lwIP 2.x numbers below, which the bindings hand to onError(code).
 */
#ifndef XSNET_NET_H
#define XSNET_NET_H
#include <stddef.h>
#include <stdint.h>

/* lwIP 2.x err_t numbers */
#define SIM_ERR_OK 0
#define SIM_ERR_MEM -1
#define SIM_ERR_TIMEOUT -3
#define SIM_ERR_RTE -4
#define SIM_ERR_VAL -6
#define SIM_ERR_USE -8
#define SIM_ERR_CONN -11
#define SIM_ERR_ABRT -13
#define SIM_ERR_RST -14
#define SIM_ERR_CLSD -15

/* Limits (named here, like lwIP's lwipopts.h). */
#define SIM_TCP_SEND_BUFFER (64 * 1024)   /* bytes a connection queues beyond the kernel's buffer (TCP_SND_BUF) */
#ifndef SIM_TCP_READ_MAX
#define SIM_TCP_READ_MAX (64 * 1024)      /* largest received buffer, and largest ArrayBuffer one read() returns */
#endif
#define SIM_TCP_RECEIVE_WINDOW (64 * 1024) /* bytes received and not consumed (tcpRecved) before reading stops (TCP_WND) */
#define SIM_LISTEN_BACKLOG 16             /* connections accepted ahead of the app */
/* The kernel's accept queue (listen() backlog; Linux caps it at net.core.somaxconn). Not SIM_LISTEN_BACKLOG:
 * a full Linux accept queue drops handshakes it has already answered (SYN cookies), and the client, which
 * believes it is connected, is then reset when it sends (ECONNRESET, nothing received: the soak's lost client,
 * tests/net-hostile.test.js accept storm). lwIP has no such queue: a board takes a connection as soon as a pcb
 * is free, and a SYN it cannot take is ignored, so the client retries. */
#define SIM_LISTEN_KERNEL_BACKLOG 4096
#define SIM_LISTEN_RETRY_MS 1000          /* accepting retried this often while descriptors are lacking */
#define SIM_UDP_QUEUE 32                  /* datagrams queued ahead of the app; more are dropped */
#define SIM_UDP_MAX (65535 - 8 - 20)      /* largest datagram the host accepts (IPv4 limit) */
#define SIM_ICMP_QUEUE 16                 /* ICMP messages queued ahead of the app */

/* Received bytes (lwIP: a pbuf). The receiver reads data[0..length) and calls simNetBufFree() when done. A
 * backend may lend a buffer that is only valid during the upcall: a receiver that keeps it past the upcall
 * first takes simNetBufHold() (an owned buffer: the same one when it is owned already). */
typedef struct simNetBuf simNetBuf;
struct simNetBuf {
	uint8_t* data;
	size_t length;
	void (*free)(simNetBuf* buf);
	simNetBuf* (*hold)(simNetBuf* buf); /* NULL when out of memory */
};
static inline void simNetBufFree(simNetBuf* buf) { (*buf->free)(buf); }
static inline simNetBuf* simNetBufHold(simNetBuf* buf) { return (*buf->hold)(buf); }
simNetBuf* simNetBufNew(const void* data, size_t length);  /* an owned copy (net.c); NULL when out of memory */

/* ---- TCP ---- */
typedef struct simNetTCP simNetTCP;
typedef struct {
	void (*connected)(void* owner);                 /* the connection is up: write() may start (lwIP: connected) */
	void (*received)(void* owner, simNetBuf* buf);  /* bytes, or NULL: the peer's FIN, no more bytes (lwIP: recv) */
	void (*writable)(void* owner, size_t count);    /* queued output was taken: tcpSndbuf is `count` (lwIP: sent) */
	void (*failed)(void* owner, int error);         /* err_t: reset, refused, timeout...; no upcall follows (lwIP: err) */
} simNetTCPUpcalls;

/* ---- Listener ---- */
typedef struct simNetListener simNetListener;
typedef struct {
	void (*accepted)(void* owner, simNetTCP* tcp);   /* a connection, not adopted yet (lwIP: accept) */
	void (*batch)(void* owner);                      /* after one or more accepted upcalls of one turn */
} simNetListenerUpcalls;

/* ---- UDP and ICMP ---- */
typedef struct simNetUDP simNetUDP;
typedef struct {
	void (*received)(void* owner, simNetBuf* buf, uint32_t address, uint16_t port);  /* address network order */
	void (*batch)(void* owner);                      /* after one or more received upcalls of one turn */
} simNetUDPUpcalls;
typedef struct simNetICMP simNetICMP;
typedef struct {
	void (*received)(void* owner, simNetBuf* buf, uint32_t address);  /* one ICMP message, no IP header */
	void (*batch)(void* owner);
} simNetICMPUpcalls;

/* An interface, for net.ifinfo (lwIP: netif). Addresses in network order. */
typedef struct {
	char name[16];
	uint32_t ip, netmask, gateway;
	uint8_t hwaddr[6];
	uint8_t dhcp;                      /* 1: DHCP configured it (lwIP's lease): then the two addresses below */
	uint32_t dhcpServer, dhcpClient;
} simNetIf;

enum { kSimNetNoDelay = 1, kSimNetKeepAlive = 2 };  /* tcpOption: value 0/1; keep-alive idle seconds */

typedef struct {
	const char* name;

	/* TCP. Addresses are network order, ports host order. */
	/* Start connecting; NULL and *error (errno) when no connection can be made at all. */
	simNetTCP* (*tcpConnect)(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error);
	/* Direct the upcalls of an accepted connection (or of one taken over) to `owner`. */
	void (*tcpAdopt)(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner);
	/* Bytes taken, at most tcpSndbuf (lwIP: tcp_write + tcp_output). Fewer than offered: a writable upcall
	 * follows when more can be taken. */
	size_t (*tcpWrite)(simNetTCP* tcp, const void* data, size_t length);
	size_t (*tcpSndbuf)(simNetTCP* tcp);   /* bytes tcpWrite takes now (lwIP: tcp_sndbuf) */
	size_t (*tcpQueued)(simNetTCP* tcp);   /* bytes taken and not yet handed to the network */
	void (*tcpRecved)(simNetTCP* tcp, size_t length);  /* the owner consumed received bytes (lwIP: tcp_recved) */
	/* Close: `flush` 1: queued output still goes, then FIN (lwIP: tcp_close); 0: at once, queued output dropped. */
	void (*tcpClose)(simNetTCP* tcp, int flush);
	void (*tcpAbort)(simNetTCP* tcp);      /* reset, at once (lwIP: tcp_abort) */
	int (*tcpAddress)(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port);  /* 0, or -1: not known */
	int (*tcpTTL)(simNetTCP* tcp, int ttl);           /* ttl < 0: read it. The TTL, or a negative errno */
	void (*tcpOption)(simNetTCP* tcp, int option, int value);

	/* Listener */
	simNetListener* (*listen)(uint32_t address, uint16_t port, const simNetListenerUpcalls* up, void* owner, int* error);
	void (*listenerAccepting)(simNetListener* l, int on);  /* 0: the owner's queue is full, accept nothing */
	int (*listenerAddress)(simNetListener* l, uint32_t* address, uint16_t* port);
	void (*listenerClose)(simNetListener* l);

	/* UDP */
	/* Bound to address:port; `multicast` (0: none) joined on every interface. NULL and *error: an errno,
	 * negative when joining `multicast` failed. */
	simNetUDP* (*udpOpen)(uint32_t address, uint16_t port, uint32_t multicast, const simNetUDPUpcalls* up, void* owner, int* error);
	int (*udpSendTo)(simNetUDP* u, const void* data, size_t length, uint32_t address, uint16_t port); /* 0 or -errno */
	void (*udpReceiving)(simNetUDP* u, int on);            /* 0: the owner's queue is full, receive nothing */
	int (*udpAddress)(simNetUDP* u, uint32_t* address, uint16_t* port);
	int (*udpMulticastTTL)(simNetUDP* u, int ttl);         /* 0 or -errno */
	int (*udpTTL)(simNetUDP* u, int ttl);                  /* ttl < 0: read it. The TTL (unicast and multicast), or -errno */
	void (*udpClose)(simNetUDP* u);

	/* ICMP (lwIP: a raw pcb) */
	simNetICMP* (*icmpOpen)(const simNetICMPUpcalls* up, void* owner, int* error);
	int (*icmpSendTo)(simNetICMP* i, const void* data, size_t length, uint32_t address);  /* 0 or -errno */
	void (*icmpReceiving)(simNetICMP* i, int on);
	void (*icmpClose)(simNetICMP* i);

	/* The stack (lwIP: igmp_joingroup, netif): every UDP socket, open or opened later, is a member of the
	 * groups joined here. 0 or -errno. */
	int (*multicastJoin)(uint32_t interface, uint32_t group);
	int (*multicastLeave)(uint32_t interface, uint32_t group);
	int (*netif)(int index, const char* station, simNetIf* info);   /* 1 and `info`, 0: no such interface */

	/* The ECMA-419 classes over this backend behave as Moddable's lwIP classes do where those differ
	 * (docs/nodemcu-net.md, "On a board"): 1 (lwIP): TCP's onError() comes without a code, and write() returns
	 * nothing when the stack did not take every byte (the rest stays queued until onWritable). 0: onError(code),
	 * write() returns the writable count. */
	uint8_t moddableClasses;
} simNetFunctions;

/* The backend in use (net.c), chosen by main.c at start (simNetUse). */
const simNetFunctions* simNet(void);
void simNetUse(const simNetFunctions* functions);
/* Settings of the stack, from the command line or xsnet/native (net.c). */
#define SIM_DNS_SERVERS 2    /* lwIP's DNS_MAX_SERVERS on ESP8266/ESP32 NodeMCU builds */
#define SIM_DNS_SERVER_MAX 24
const char* simNetDNSServer(int index);                  /* "a.b.c.d[:port]" or NULL */
int simNetSetDNSServer(int index, const char* address);  /* NULL clears it; 0 when `address` is malformed */
const char* simNetStation(void);                         /* --netif, or NULL */
void simNetSetStation(const char* name);

#endif
