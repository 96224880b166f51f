/* xsnet simulator, POSIX backend: what its files share. Non-blocking sockets watched by the loop (epoll). */
#ifndef XSNET_POSIX_H
#define XSNET_POSIX_H
#include "net/net.h"
#include "loop.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int posixErr(int error);                       /* errno -> lwIP err_t, as the boards report the same failures */
simNetBuf* posixLend(uint8_t* data, size_t length); /* a buffer valid during the upcall (hold copies it) */
void posixFormat(uint32_t address, char* out);  /* "a.b.c.d"; out: 16 bytes */

/* tcp.c */
simNetTCP* posixTCPConnect(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error);
simNetTCP* posixTCPAccepted(int fd);           /* not watched before tcpAdopt */
void posixTCPAdopt(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner);
size_t posixTCPWrite(simNetTCP* tcp, const void* data, size_t length);
size_t posixTCPSndbuf(simNetTCP* tcp);
size_t posixTCPQueued(simNetTCP* tcp);
void posixTCPRecved(simNetTCP* tcp, size_t length);
void posixTCPClose(simNetTCP* tcp, int flush);
void posixTCPAbort(simNetTCP* tcp);
int posixTCPAddress(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port);
int posixTCPTTL(simNetTCP* tcp, int ttl);
void posixTCPOption(simNetTCP* tcp, int option, int value);

/* listener.c */
simNetListener* posixListen(uint32_t address, uint16_t port, const simNetListenerUpcalls* up, void* owner, int* error);
void posixListenerAccepting(simNetListener* l, int on);
int posixListenerAddress(simNetListener* l, uint32_t* address, uint16_t* port);
void posixListenerClose(simNetListener* l);

/* udp.c */
simNetUDP* posixUDPOpen(uint32_t address, uint16_t port, uint32_t multicast, const simNetUDPUpcalls* up, void* owner, int* error);
int posixUDPSendTo(simNetUDP* u, const void* data, size_t length, uint32_t address, uint16_t port);
void posixUDPReceiving(simNetUDP* u, int on);
int posixUDPAddress(simNetUDP* u, uint32_t* address, uint16_t* port);
int posixUDPMulticastTTL(simNetUDP* u, int ttl);
int posixUDPTTL(simNetUDP* u, int ttl);
void posixUDPClose(simNetUDP* u);
int posixMulticastJoin(uint32_t interface, uint32_t group);
int posixMulticastLeave(uint32_t interface, uint32_t group);

/* icmp.c */
simNetICMP* posixICMPOpen(const simNetICMPUpcalls* up, void* owner, int* error);
int posixICMPSendTo(simNetICMP* i, const void* data, size_t length, uint32_t address);
void posixICMPReceiving(simNetICMP* i, int on);
void posixICMPClose(simNetICMP* i);

/* netif.c */
int posixNetif(int index, const char* station, simNetIf* info);

#endif
