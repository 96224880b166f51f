/* xsnet simulator: helpers shared by the ECMA-419 socket classes (tcp.c, listener.c, udp.c). */
#include "sim.h"
#include <arpa/inet.h>

int simHasOption(xsMachine* the, xsSlot* options, const char* name, xsSlot* value)
{
	xsSlot v;
	if (xsTypeOf(*options) != xsReferenceType)
		return 0;
	v = xsGet(*options, xsID((char*)name));
	if (xsTypeOf(v) == xsUndefinedType)
		return 0;
	if (value)
		*value = v;
	return 1;
}

uint32_t simParseIPv4(xsMachine* the, xsSlot* value)
{
	struct in_addr a;
	if (xsTypeOf(*value) != xsStringType || inet_pton(AF_INET, xsToString(*value), &a) != 1)
		xsTypeError("invalid address");
	return a.s_addr;
}

void simFormatIPv4(uint32_t address, char* out)
{
	struct in_addr a;
	a.s_addr = address;
	inet_ntop(AF_INET, &a, out, 16);
}

/* errno -> lwIP 2.x err_t, as the boards report the same failures */
int simErrFromErrno(int error)
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
