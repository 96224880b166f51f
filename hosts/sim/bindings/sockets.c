/* xsnet simulator: helpers shared by the ECMA-419 socket classes (tcp.c, listener.c, udp.c). Option handling
 * follows Moddable's modules/io/common/builtinCommon.c, so that the simulator's classes throw what a board's
 * throw for the same bad input. */
#include "bindings.h"
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

int simOptionPresent(xsMachine* the, xsSlot* options, const char* name, xsSlot* value)
{
	xsIdentifier id = xsID((char*)name);
	if (xsTypeOf(*options) != xsReferenceType || !xsHas(*options, id))
		return 0;
	if (value)
		*value = xsGet(*options, id);
	return 1;
}

int simGetCallback(xsMachine* the, xsSlot* options, const char* name, xsSlot* value)
{
	xsSlot v;
	xsType type;
	if (xsTypeOf(*options) != xsReferenceType)
		return 0;
	v = xsGet(*options, xsID((char*)name));
	type = xsTypeOf(v);
	if (type == xsUndefinedType || type == xsNullType)
		return 0;
	if (!fxIsCallable(the, &v))
		xsUnknownError("not a function");
	*value = v;
	return 1;
}

int simGetSignedInteger(xsMachine* the, xsSlot* value)
{
	if (xsTypeOf(*value) == xsUndefinedType)
		xsUnknownError("invalid");
	return xsToInteger(*value);
}

int simToIPv4(xsMachine* the, xsSlot* value, uint32_t* address)
{
	struct in_addr a;
	char* text = xsToString(*value);
	if (inet_pton(AF_INET, text, &a) != 1)
		return 0;
	*address = a.s_addr;
	return 1;
}

void* simHostDataIf(xsMachine* the, xsSlot* slot, const xsHostHooks* hooks)
{
	txSlot* host;
	if (slot->kind != XS_REFERENCE_KIND)
		return NULL;
	host = slot->value.reference->next;
	if (!host || !(host->flag & XS_INTERNAL_FLAG) || host->kind != XS_HOST_KIND)
		return NULL;
	if ((host->flag & XS_HOST_CHUNK_FLAG) || !(host->flag & XS_HOST_HOOKS_FLAG))
		return NULL;
	if (host->value.host.variant.hooks != (txHostHooks*)hooks)
		return NULL;
	return host->value.host.data;
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
