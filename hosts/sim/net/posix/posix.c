/* xsnet simulator, POSIX backend: its table of the seam's functions, and what its files share. */
#include "posix.h"
#include "net/backends.h"
#include <arpa/inet.h>

int posixErr(int error)
{
	switch (error) {
	case 0: return SIM_ERR_OK;
	case ECONNREFUSED:
	case ECONNRESET:
	case EPIPE: return SIM_ERR_RST;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ENETDOWN: return SIM_ERR_RTE;
	case EADDRINUSE: return SIM_ERR_USE;
	case ENOMEM:
	case ENOBUFS: return SIM_ERR_MEM;
	case ETIMEDOUT:
	default: return SIM_ERR_ABRT;
	}
}

void posixFormat(uint32_t address, char* out)
{
	struct in_addr a;
	a.s_addr = address;
	inet_ntop(AF_INET, &a, out, 16);
}

/* A lent buffer: one at a time (upcalls do not nest per backend), freed by doing nothing. */
static void posixLentFree(simNetBuf* buf)
{
}

static simNetBuf* posixLentHold(simNetBuf* buf)
{
	return simNetBufNew(buf->data, buf->length);
}

simNetBuf* posixLend(uint8_t* data, size_t length)
{
	static simNetBuf lent;
	lent.data = data;
	lent.length = length;
	lent.free = posixLentFree;
	lent.hold = posixLentHold;
	return &lent;
}

static const simNetFunctions gPOSIX = {
	"posix",
	posixTCPConnect, posixTCPAdopt, posixTCPWrite, posixTCPSndbuf, posixTCPQueued, posixTCPRecved,
	posixTCPClose, posixTCPAbort, posixTCPAddress, posixTCPTTL, posixTCPOption,
	posixListen, posixListenerAccepting, posixListenerAddress, posixListenerClose,
	posixUDPOpen, posixUDPSendTo, posixUDPReceiving, posixUDPAddress, posixUDPMulticastTTL,
	posixUDPTTL, posixUDPClose,
	posixICMPOpen, posixICMPSendTo, posixICMPReceiving, posixICMPClose,
	posixMulticastJoin, posixMulticastLeave, posixNetif,
};

const simNetFunctions* simNetPOSIX(void)
{
	return &gPOSIX;
}
