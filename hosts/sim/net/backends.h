/* xsnet simulator: the network backends, for main.c to choose one (the bindings know only net/net.h). */
#ifndef XSNET_BACKENDS_H
#define XSNET_BACKENDS_H
#include "net/net.h"

const simNetFunctions* simNetPOSIX(void);          /* net/posix */
/* net/fault: `inner` with the faults of `spec` (XSNET_SIM_FAULTS, net/fault/fault.c lists them); NULL and a
 * message on stderr for an unknown fault. */
const simNetFunctions* simNetFault(const simNetFunctions* inner, const char* spec);
/* net/lwip (only in a build with lwIP: build/sim-lwip, XSNET_SIM_LWIP): lwIP in its own tcpip thread over a libslirp
 * netif, started and given its DHCP lease. NULL and a message on stderr when it cannot start, or when this network
 * namespace has an interface besides loopback and `outsideNamespace` is 0 (slirp forwards to the real network). */
const simNetFunctions* simNetLwIP(int outsideNamespace);

#endif
