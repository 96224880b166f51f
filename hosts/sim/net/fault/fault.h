/* xsnet simulator, fault-injecting backend: what fault.c (the faults, the table, the listener) and fault-tcp.c
 * (TCP connections) share. */
#ifndef XSNET_FAULT_H
#define XSNET_FAULT_H
#include "net/backends.h"
#include "loop.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const simNetFunctions* inner;
	uint8_t shortWrites, split, noConnect;
	int storm;                 /* turns */
	double delay;              /* ms */
	size_t reset;              /* bytes; 0: never */
} faultConfig;
extern faultConfig gFault;            /* the faults in force (fault.c) */

/* fault-tcp.c: wrap a connection of the inner backend (an accepted one: adopted later) */
simNetTCP* faultTCPWrap(simNetTCP* inner);
simNetTCP* faultTCPConnect(uint32_t address, uint16_t port, const simNetTCPUpcalls* up, void* owner, int* error);
void faultTCPAdopt(simNetTCP* tcp, const simNetTCPUpcalls* up, void* owner);
size_t faultTCPWrite(simNetTCP* tcp, const void* data, size_t length);
size_t faultTCPSndbuf(simNetTCP* tcp);
size_t faultTCPQueued(simNetTCP* tcp);
void faultTCPRecved(simNetTCP* tcp, size_t length);
void faultTCPClose(simNetTCP* tcp, int flush);
void faultTCPAbort(simNetTCP* tcp);
int faultTCPAddress(simNetTCP* tcp, int remote, uint32_t* address, uint16_t* port);
int faultTCPTTL(simNetTCP* tcp, int ttl);
void faultTCPOption(simNetTCP* tcp, int option, int value);

#endif
