/* runtime.c: Moddable's message queue and critical section for the two-thread checks, and what both checks share. */
#ifndef XSNET_THREADS_RUNTIME_H
#define XSNET_THREADS_RUNTIME_H
#include "xsAll.h"
#include "xs.h"
#include <stdint.h>

typedef void (*modMessageDeliver)(void* the, void* refcon, uint8_t* message, uint16_t messageLength);
int modMessagePostToMachine(xsMachine* the, uint8_t* message, uint16_t messageLength, modMessageDeliver callback, void* refcon);
void modCriticalSectionBegin(void);
void modCriticalSectionEnd(void);

/* Run the posted messages on this (the XS) thread, waiting up to `ms` for the first. Returns how many ran. */
int serviceMessages(xsMachine* the, int ms);
/* Wait up to `ms` until a message is posted, without running it. Returns 1 when one is. */
int waitForMessage(int ms);
/* The device C's native functions the checks call (modules/native/lwip: icmp.c, netif.c, pcb.c, native.c). */
void xs_icmp_destructor(void* data);
void xs_icmp_constructor(xsMachine* the);
void xs_icmp_read(xsMachine* the);
void xs_icmp_write(xsMachine* the);
void xs_icmp_close(xsMachine* the);
void xs_native_ifinfo(xsMachine* the);
void xs_native_multicast_join(xsMachine* the);
void xs_native_multicast_leave(xsMachine* the);
void xs_native_ttl(xsMachine* the);
void xs_native_local(xsMachine* the);
void xs_native_get_dns_server(xsMachine* the);
void xs_native_set_dns_server(xsMachine* the);

/* ttl() and local() on TCP and UDP pcbs held as Moddable's records hold them (pcbs.c): a host function that
 * prints its "pcb ..." lines and returns the number of ttl() checks that held (TTL_CHECKS). */
void checkPcbs(xsMachine* the);
#define TTL_CHECKS 6

/* The Internet checksum of an ICMP message (RFC 1071), to put in its checksum field. */
uint16_t icmpChecksum(const uint8_t* data, int length);
#endif
