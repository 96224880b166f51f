/* Device-like lwIP options for compiling modules/native/lwip against Debian's liblwip-dev headers
 * (whose own lwipopts.h is the GNU Hurd build with DNS compiled out). Used only by the compile check
 * in tests/native-lwip.test.js; boards use their SDK's lwipopts.h. */
#ifndef XSNET_CHECK_LWIPOPTS_H
#define XSNET_CHECK_LWIPOPTS_H
#define NO_SYS 1
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
