/* Device-like lwIP options for compiling modules/native/lwip against Debian's liblwip-dev headers (whose own
 * lwipopts.h is the GNU Hurd build with DNS compiled out). Used only by the compile checks of
 * tests/native-lwip.test.js; boards use their SDK's lwipopts.h. Two profiles:
 *   XSNET_CHECK_ESP32 undefined: ESP8266-like, NO_SYS=1 (lwIP runs in XS's task; lwipcall.h calls directly).
 *   -DXSNET_CHECK_ESP32: ESP-IDF-like, NO_SYS=0 with lwIP in its own tcpip thread and no core locking
 *     (ESP-IDF's default, CONFIG_LWIP_TCPIP_CORE_LOCKING off): lwipcall.h posts each call to that thread. */
#ifndef XSNET_CHECK_LWIPOPTS_H
#define XSNET_CHECK_LWIPOPTS_H
#ifdef XSNET_CHECK_ESP32
	#define NO_SYS 0
	#define LWIP_TCPIP_CORE_LOCKING 0
	#define LWIP_NETCONN_SEM_PER_THREAD 0   /* ESP-IDF uses 1 with its own sys_arch; no difference for our calls */
	#define TCPIP_MBOX_SIZE 32              /* ESP-IDF: CONFIG_LWIP_TCPIP_RECVMBOX_SIZE */
#else
	#define NO_SYS 1
#endif
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_RAW 1
#define LWIP_IGMP 1
#define LWIP_ICMP 1
#define LWIP_DHCP 1
#define MEM_ALIGNMENT 4
#endif
