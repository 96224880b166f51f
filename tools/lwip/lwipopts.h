/* lwIP options of xsnet's standalone lwIP build (tools/lwip-slirp.js): lwIP 2.1.3 from Debian's source package,
 * configured close to ESP-IDF's defaults so that what runs over it behaves as on an ESP32. Every option set here is
 * named with why; what is not named keeps lwIP's default (src/include/lwip/opt.h). */
#ifndef XSNET_LWIPOPTS_H
#define XSNET_LWIPOPTS_H

/* ---- threads: as ESP-IDF, lwIP runs in its own tcpip thread ---- */
#define NO_SYS                      0       /* an OS with threads: lwIP's tcpip thread, sys_arch from Debian's port */
#define LWIP_TCPIP_CORE_LOCKING     0       /* ESP-IDF's default: other threads post calls as messages (tcpip_api_call,
                                               tcpip_callback) instead of taking a core lock */
#define LWIP_TCPIP_CORE_LOCKING_INPUT 0     /* received frames are queued to the tcpip thread too (tcpip_input) */
#define TCPIP_MBOX_SIZE             32      /* ESP-IDF: CONFIG_LWIP_TCPIP_RECVMBOX_SIZE */
#define TCPIP_THREAD_NAME           "tcpip" /* ESP-IDF's task name */
#define SYS_LIGHTWEIGHT_PROT        1       /* SYS_ARCH_PROTECT around pbuf/memp lists touched by several threads */
void sys_check_core_locking(void);          /* Debian's port: asserts that a raw-API call runs on the tcpip thread */
#define LWIP_ASSERT_CORE_LOCKED()   sys_check_core_locking()
void sys_mark_tcpip_thread(void);
#define LWIP_MARK_TCPIP_THREAD()    sys_mark_tcpip_thread()

/* ---- APIs: the raw API only, as Moddable's ECMA-419 sockets and xsnet/native use ---- */
#define LWIP_NETCONN                0       /* no sequential API (ESP-IDF has it for BSD sockets; nothing here uses it) */
#define LWIP_SOCKET                 0       /* no BSD sockets */
#define LWIP_RAW                    1       /* raw pcbs: xsnet/native's ICMP socket (net.ping) */

/* ---- memory: from the C heap, as ESP-IDF ---- */
#define MEM_LIBC_MALLOC             1       /* ESP-IDF: heap_caps_malloc; here malloc */
#define MEMP_MEM_MALLOC             1       /* pools from the heap too (ESP-IDF sets it) */
#define MEM_ALIGNMENT               8       /* a 64-bit host's pointers (ESP32: 4) */

/* ---- protocols ---- */
#define LWIP_IPV4                   1
#define LWIP_IPV6                   0       /* ESP-IDF has IPv6; xsnet's NodeMCU/LuatOS APIs are IPv4 only */
#define LWIP_ARP                    1       /* the netif is Ethernet (libslirp speaks Ethernet frames) */
#define LWIP_ETHERNET               1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define ARP_QUEUEING                1       /* ESP-IDF sets it: packets to an address being resolved wait in a queue;
                                               without it only the last one waits, so of two SYN-ACKs sent to slirp's
                                               host before its ARP reply, the first is lost (a 3 s retransmit) */
#define LWIP_ICMP                   1       /* lwIP answers pings and delivers echo replies to raw pcbs */
#define LWIP_IGMP                   1       /* multicast membership: net.multicastJoin/Leave */
#define LWIP_MULTICAST_TX_OPTIONS   1       /* per-pcb multicast TTL and interface (ESP-IDF sets it) */
#define LWIP_UDP                    1
#define LWIP_TCP                    1
#define LWIP_DHCP                   1       /* the address comes from slirp's DHCP server, as a board's from its AP */
#define DHCP_DOES_ARP_CHECK         0       /* ESP-IDF probes the offered address with ARP first; slirp answers for
                                               no one but itself, so the probe would only add its 1 s timeout */
#define LWIP_DNS                    1       /* dns_setserver/dns_getserver: xsnet/native's DNS servers */
#define DNS_MAX_SERVERS             2       /* NodeMCU's net.dns: servers 0 and 1 */
#define LWIP_NETIF_HOSTNAME         1       /* DHCP sends a host name, as ESP-IDF's netif does */
#define IP_REASSEMBLY               1       /* ESP-IDF: CONFIG_LWIP_IP4_REASSEMBLY; on so big UDP datagrams arrive */
#define IP_FRAG                     1       /* ESP-IDF: CONFIG_LWIP_IP4_FRAG */
#define IP_DEFAULT_TTL              64      /* ESP-IDF: CONFIG_LWIP_IP_DEFAULT_TTL; lwIP's own default is 255 */

/* ---- TCP: ESP-IDF's sizes, which decide how "receive" events split and when hold() stalls the peer ---- */
#define TCP_MSS                     1440    /* ESP-IDF: CONFIG_LWIP_TCP_MSS */
#define TCP_WND                     (4 * TCP_MSS)   /* 5760: ESP-IDF's CONFIG_LWIP_TCP_WND_DEFAULT */
#define TCP_SND_BUF                 (4 * TCP_MSS)   /* 5760: ESP-IDF's CONFIG_LWIP_TCP_SND_BUF_DEFAULT */
#define TCP_SND_QUEUELEN            ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS) /* ESP-IDF's formula */
#define TCP_QUEUE_OOSEQ             1       /* keep out-of-order segments (ESP-IDF: CONFIG_LWIP_TCP_QUEUE_OOSEQ) */
#define LWIP_TCP_KEEPALIVE          1       /* ESP-IDF sets it */
#define SO_REUSE                    1       /* a listener can bind a port in TIME_WAIT (ESP-IDF: CONFIG_LWIP_SO_REUSE) */

/* ---- netif ---- */
#define LWIP_NETIF_STATUS_CALLBACK  1       /* the DHCP lease is reported through the netif's status callback */
#define LWIP_NETIF_LINK_CALLBACK    1
#define LWIP_NETIF_LOOPBACK         1       /* packets to the netif's own address loop back (ESP-IDF sets it) */
#define ETH_PAD_SIZE                0

/* ---- checks and statistics ---- */
#define LWIP_STATS                  0
#define LWIP_NOASSERT_ON_ERROR      0       /* argument errors assert: a misuse fails loudly in tests */

#endif
