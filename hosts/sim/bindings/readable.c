/* xsnet simulator: what the Listener, UDP and ICMP classes share: arrivals that the class queues, announced
 * to the app with onReadable(count). */
#include "bindings.h"

void simReadableMark(txMachine* the, void* data, txMarkRoot markRoot)
{
	simReadable* r = data;
	(*markRoot)(the, (txSlot*)&r->onReadable);
}

void simReadableOpen(xsMachine* the, simReadable* r, const xsHostHooks* hooks, xsSlot* options)
{
	xsSlot value;
	r->onReadable = xsUndefined;
	if (simGetCallback(the, options, "onReadable", &value))
		r->onReadable = value;
	r->the = the;
	r->object = xsThis;
	xsSetHostData(xsThis, r);
	xsSetHostHooks(xsThis, hooks);
	if (simHasOption(the, options, "target", &value))
		xsDefine(xsThis, xsID("target"), value, xsDefault);
	r->remembered = 1;
	xsRemember(r->object);
	r->referenced = 1;
	simRef();
}

void simReadableNotify(simReadable* r, int count)
{
	xsMachine* the = r->the;
	xsSlot arg, object, fn;
	if (!count || r->closed || xsTypeOf(r->onReadable) == xsUndefinedType)
		return;
	arg = xsInteger(count);
	object = r->object;
	fn = r->onReadable;
	r->busy = 1;
	simCallback(the, &object, &fn, 1, &arg);
	r->busy = 0;
	if (r->closed && r->remembered) {
		r->remembered = 0;
		xsForget(r->object);
	}
	if (r->freeLater) {
		r->freeLater = 0;
		simDeferFree(r);
	}
}

void simReadableRelease(xsMachine* the, simReadable* r)
{
	if (r->referenced) {
		r->referenced = 0;
		simUnref();
	}
	if (r->remembered && the && !r->busy) {
		r->remembered = 0;
		xsForget(r->object);
	}
}

void* simReadableGet(xsMachine* the, const xsHostHooks* hooks)
{
	return xsGetHostDataValidate(xsThis, (void*)hooks);
}

void simReadableClose(xsMachine* the, const xsHostHooks* hooks, void (*release)(simReadable* r))
{
	simReadable* r = xsGetHostData(xsThis);   /* SyntaxError: no host object, or a host chunk */
	if (!r)
		return;                                  /* closed already */
	r = simReadableGet(the, hooks);            /* SyntaxError: an instance of another class */
	xsSetHostData(xsThis, NULL);
	xsSetHostDestructor(xsThis, NULL);
	r->closed = 1;
	if (r->remembered) {
		r->remembered = 0;
		xsForget(r->object);
	}
	(*release)(r);
	simReadableRelease(the, r);
	if (r->busy)
		r->freeLater = 1;
	else
		simDeferFree(r);
}
