/* An lwIP Ethernet netif connected to the host through libslirp, as QEMU's user networking: slirp's virtual
 * network 10.0.2.0/24, its DHCP server and gateway at 10.0.2.2 (the host's loopback), DNS at 10.0.2.3.
 * Written for xsnet (tools/lwip-slirp.js). */
#ifndef XSNET_SLIRPIF_H
#define XSNET_SLIRPIF_H
#include "lwip/netif.h"

/* Create slirp and its poll thread, and add the netif "st" (down until the caller starts DHCP). Call on any thread
 * after tcpip_init() has finished; returns NULL with a message on stderr when slirp cannot start. */
struct netif* xsnetSlirpStart(void);

/* Slirp's host forwarding (QEMU's hostfwd): `add` 1 forwards connections (`udp` 0) or datagrams (`udp` 1) that reach
 * the host's 127.0.0.1:hostPort to guestIP:guestPort (network order address, host order ports); 0 removes it.
 * Any thread. 0, or -1 when slirp refuses (the host port is taken). */
int xsnetSlirpForward(int udp, int add, uint16_t hostPort, uint32_t guestIP, uint16_t guestPort);

#endif
