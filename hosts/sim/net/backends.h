/* xsnet simulator: the network backends, for main.c to choose one (the bindings know only net/net.h). */
#ifndef XSNET_BACKENDS_H
#define XSNET_BACKENDS_H
#include "net/net.h"

const simNetFunctions* simNetPOSIX(void);          /* net/posix */
/* net/fault: `inner` with the faults of `spec` (XSNET_SIM_FAULTS, net/fault/fault.c lists them); NULL and a
 * message on stderr for an unknown fault. */
const simNetFunctions* simNetFault(const simNetFunctions* inner, const char* spec);

#endif
