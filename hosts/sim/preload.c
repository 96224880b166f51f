/* xsnet simulator: preloading as a board build does it.
 *
 * On a device, the XS linker (xsl) runs the bodies of the modules a manifest preloads at build time and puts
 * what they created in flash (Moddable's documentation/xs/preload.md). What that means at run time, and what
 * this file reproduces after running the same bodies in the simulator, before the main module:
 *   - a native function called from a preloaded body fails the build (hostfns.c refuses the call);
 *   - functions, and the prototypes of constructors, are frozen;
 *   - Map, Set, WeakMap, WeakSet, WeakRef, FinalizationRegistry, ArrayBuffer, DataView, typed array,
 *     Promise, Proxy and RegExp instances that preloaded bodies created are frozen and read-only ("Map
 *     instance is read-only"); a Date stays writable (aliased), as on Moddable's lin build;
 *   - a module variable that holds a function is const;
 *   - the prototypes of the built-ins (Object.prototype, Array.prototype, ..., Math, JSON, Reflect) are frozen;
 *   - ordinary objects and `let` variables stay writable (XS aliases them in RAM), which costs RAM: the linker
 *     warns about them ("not frozen", "no const"), and so does this file with --linker-warnings.
 * Objects the engine made before the preload phase (built-ins) are told from the preloaded ones by a snapshot
 * of the heap taken just before it. */
#include "engine.h"
#include "preload.h"

static int gSimPreloading = 0;

int simPreloading(void)
{
	return gSimPreloading;
}

static txSlot** gBefore = NULL;        /* slots in use before the preload phase, sorted */
static size_t gBeforeCount = 0;

static int simComparePointers(const void* a, const void* b)
{
	uintptr_t x = (uintptr_t)*(txSlot* const*)a, y = (uintptr_t)*(txSlot* const*)b;
	return x < y ? -1 : x > y ? 1 : 0;
}

/* Mark the free slots (XS_MARK_FLAG), as xsl does, so that a heap walk sees only slots in use. */
void simMarkFree(txMachine* the, int mark)
{
	txSlot* slot = the->freeHeap;
	while (slot) {
		if (mark)
			slot->flag |= XS_MARK_FLAG;
		else
			slot->flag &= ~XS_MARK_FLAG;
		slot = slot->next;
	}
}

static void simSnapshot(txMachine* the)
{
	size_t n = 0;
	xsCollectGarbage();
	simMarkFree(the, 1);
	SIM_EACH_SLOT(slot) n++;
	gBefore = malloc((n ? n : 1) * sizeof(txSlot*));
	gBeforeCount = 0;
	SIM_EACH_SLOT(slot) gBefore[gBeforeCount++] = slot;
	simMarkFree(the, 0);
	qsort(gBefore, gBeforeCount, sizeof(txSlot*), simComparePointers);
}

static int simIsNew(txSlot* slot)
{
	return bsearch(&slot, gBefore, gBeforeCount, sizeof(txSlot*), simComparePointers) == NULL;
}

/* Freeze as the linker does: every property read-only (accessors excepted) and permanent, no new property. */
static void simFreezeInstance(txSlot* instance)
{
	txSlot* property = instance->next;
	while (property) {
		if (property->kind != XS_ACCESSOR_KIND)
			property->flag |= XS_DONT_SET_FLAG;
		property->flag |= XS_DONT_DELETE_FLAG;
		property = property->next;
	}
	instance->flag |= XS_DONT_PATCH_FLAG;
}

int simIsFunction(txSlot* internal)
{
	return internal->kind == XS_CALLBACK_KIND || internal->kind == XS_CALLBACK_X_KIND
		|| internal->kind == XS_CODE_KIND || internal->kind == XS_CODE_X_KIND;
}

/* The kinds of instances the linker cannot alias: in flash they are frozen and read-only. */
static int simIsUnaliasable(txSlot* internal)
{
	switch (internal->kind) {
	case XS_MAP_KIND: case XS_SET_KIND: case XS_WEAK_MAP_KIND: case XS_WEAK_SET_KIND: case XS_WEAK_REF_KIND:
	case XS_FINALIZATION_REGISTRY_KIND: case XS_ARRAY_BUFFER_KIND: case XS_DATA_VIEW_KIND:
	case XS_TYPED_ARRAY_KIND: case XS_PROMISE_KIND: case XS_PROXY_KIND: case XS_REGEXP_KIND:
		return 1;
	case XS_CLOSURE_KIND:
		return internal->value.closure && internal->value.closure->kind == XS_FINALIZATION_REGISTRY_KIND;
	}
	return 0;
}

int simIsFrozen(txMachine* the, txSlot* instance)
{
	txSlot* property = instance->next;
	if (!(instance->flag & XS_DONT_PATCH_FLAG))
		return 0;
	while (property && (property->flag & XS_INTERNAL_FLAG)) {
		if (property->kind == XS_ARRAY_KIND) {
			txSlot* item = property->value.array.address;
			txIndex length = fxGetIndexSize(the, property);
			while (length--) {
				if (item->kind != XS_ACCESSOR_KIND && !(item->flag & XS_DONT_SET_FLAG))
					return 0;
				if (!(item->flag & XS_DONT_DELETE_FLAG))
					return 0;
				item++;
			}
		}
		property = property->next;
	}
	while (property) {
		if (property->kind != XS_ACCESSOR_KIND && !(property->flag & XS_DONT_SET_FLAG))
			return 0;
		if (!(property->flag & XS_DONT_DELETE_FLAG))
			return 0;
		property = property->next;
	}
	return 1;
}

/* In flash a frozen instance is petrified (xsl fxPetrifyInstance): the internal values of its ArrayBuffer, Date,
 * Map, RegExp, Set, WeakMap or WeakSet and its private fields are read-only. Every instance alive at the end of
 * the preload phase is in flash: it is marked (XS_DONT_MARSHALL_FLAG, unused by this host otherwise) for the
 * weak collections, which refuse a key in flash. */
static void simPetrifyFrozen(txMachine* the)
{
	simMarkFree(the, 1);
	SIM_EACH_SLOT(slot) {
		txSlot* property;
		if (slot->kind != XS_INSTANCE_KIND)
			continue;
		slot->flag |= XS_DONT_MARSHALL_FLAG;
		if (!simIsFrozen(the, slot))
			continue;
		for (property = slot->next; property && (property->flag & XS_INTERNAL_FLAG); property = property->next) {
			switch (property->kind) {
			case XS_ARRAY_BUFFER_KIND: case XS_DATE_KIND: case XS_MAP_KIND: case XS_REGEXP_KIND: case XS_SET_KIND:
			case XS_WEAK_MAP_KIND: case XS_WEAK_SET_KIND:
				property->flag |= XS_DONT_SET_FLAG;
				break;
			case XS_PRIVATE_KIND: {
				txSlot* field;
				for (field = property->value.private.first; field; field = field->next) {
					if (field->kind != XS_ACCESSOR_KIND)
						field->flag |= XS_DONT_SET_FLAG;
					field->flag |= XS_DONT_DELETE_FLAG;
				}
				break;
			}
			}
		}
	}
	simMarkFree(the, 0);
}

/* WeakMap.prototype.set, WeakSet.prototype.add and FinalizationRegistry.prototype.register refuse an object in
 * flash as a key (Moddable's XS: "key: read-only"); XS 13.3 has no flash, so these wrap the built-ins. */
static xsSlot gSimWeakOriginals[3];

static void simWeakGuard(txMachine* the, int which, const char* what)
{
	int argc = xsToInteger(xsArgc);
	if (argc > 0 && xsArg(0).kind == XS_REFERENCE_KIND && (xsArg(0).value.reference->flag & XS_DONT_MARSHALL_FLAG))
		mxTypeError("%s: read-only", what);
	xsResult = xsCallFunction3(gSimWeakOriginals[which], xsThis, argc > 0 ? xsArg(0) : xsUndefined,
		argc > 1 ? xsArg(1) : xsUndefined, argc > 2 ? xsArg(2) : xsUndefined);
}
static void simWeakMapSet(txMachine* the) { simWeakGuard(the, 0, "key"); }
static void simWeakSetAdd(txMachine* the) { simWeakGuard(the, 1, "value"); }
static void simFinalizationRegister(txMachine* the) { simWeakGuard(the, 2, "target"); }

static void simGuardWeakCollections(txMachine* the)
{
	struct { txSlot* prototype; const char* name; txCallback guard; int length; } guards[3] = {
		{ &mxWeakMapPrototype, "set", simWeakMapSet, 2 },
		{ &mxWeakSetPrototype, "add", simWeakSetAdd, 1 },
		{ &mxFinalizationRegistryPrototype, "register", simFinalizationRegister, 2 },
	};
	int i;
	xsVars(2);
	for (i = 0; i < 3; i++) {
		xsVar(0) = *guards[i].prototype;
		gSimWeakOriginals[i] = xsGet(xsVar(0), xsID((char*)guards[i].name));
		xsRemember(gSimWeakOriginals[i]);
		xsVar(1) = xsNewHostFunction(guards[i].guard, guards[i].length);
		xsDefine(xsVar(0), xsID((char*)guards[i].name), xsVar(1), xsDontEnum);
	}
}

static void simPetrify(txMachine* the)
{
	simMarkFree(the, 1);
	SIM_EACH_SLOT(slot) {
		txSlot* internal = slot->next;
		if (slot->kind == XS_INSTANCE_KIND && internal && (internal->flag & XS_INTERNAL_FLAG)) {
			if (simIsFunction(internal)) {
				simFreezeInstance(slot);
				if (slot->flag & XS_CAN_CONSTRUCT_FLAG) {
					txSlot* property = internal->next;
					while (property) {
						if (property->ID == mxID(_prototype) && property->kind == XS_REFERENCE_KIND) {
							simFreezeInstance(property->value.reference);
							break;
						}
						property = property->next;
					}
				}
			}
			else if (simIsNew(slot) && simIsUnaliasable(internal)) {
				simFreezeInstance(slot);
				if (internal->kind == XS_PROMISE_KIND && internal->next && internal->next->kind == XS_REFERENCE_KIND)
					simFreezeInstance(internal->next->value.reference);     /* its reactions */
			}
		}
		else if ((slot->kind == XS_CLOSURE_KIND || slot->kind == XS_EXPORT_KIND) && simIsNew(slot)) {
			/* a module or function variable (exported or not) that holds a function is const in flash */
			txSlot* closure = slot->kind == XS_CLOSURE_KIND ? slot->value.closure : slot->value.export.closure;
			if (closure && closure->kind == XS_REFERENCE_KIND) {
				txSlot* internal = closure->value.reference->next;
				if (internal && (internal->flag & XS_INTERNAL_FLAG) && simIsFunction(internal))
					closure->flag |= XS_DONT_SET_FLAG;
			}
		}
	}
	simMarkFree(the, 0);
}

static void simFreezeBuiltIns(txMachine* the)
{
	txSlot* prototypes[] = {
		&mxAtomicsObject, &mxJSONObject, &mxMathObject, &mxReflectObject,
		&mxAggregateErrorPrototype, &mxArgumentsSloppyPrototype, &mxArgumentsStrictPrototype,
		&mxArrayBufferPrototype, &mxArrayIteratorPrototype, &mxArrayPrototype, &mxAsyncFromSyncIteratorPrototype,
		&mxAsyncFunctionPrototype, &mxAsyncGeneratorFunctionPrototype, &mxAsyncGeneratorPrototype,
		&mxAsyncIteratorPrototype, &mxBigIntPrototype, &mxBooleanPrototype, &mxCompartmentPrototype,
		&mxDataViewPrototype, &mxDatePrototype, &mxErrorPrototype, &mxEvalErrorPrototype,
		&mxFinalizationRegistryPrototype, &mxFunctionPrototype, &mxGeneratorFunctionPrototype,
		&mxGeneratorPrototype, &mxHostPrototype, &mxIteratorPrototype, &mxMapIteratorPrototype, &mxMapPrototype,
		&mxModulePrototype, &mxNumberPrototype, &mxObjectPrototype, &mxPromisePrototype, &mxProxyPrototype,
		&mxRangeErrorPrototype, &mxReferenceErrorPrototype, &mxRegExpPrototype, &mxRegExpStringIteratorPrototype,
		&mxSetIteratorPrototype, &mxSetPrototype, &mxSharedArrayBufferPrototype, &mxStringIteratorPrototype,
		&mxStringPrototype, &mxSymbolPrototype, &mxSyntaxErrorPrototype, &mxTransferPrototype,
		&mxTypedArrayPrototype, &mxTypeErrorPrototype, &mxURIErrorPrototype, &mxWeakMapPrototype,
		&mxWeakRefPrototype, &mxWeakSetPrototype,
	};
	size_t i;
	xsVars(3);
	xsVar(0) = xsGet(xsGlobal, xsID("Object"));
	for (i = 0; i < sizeof(prototypes) / sizeof(prototypes[0]); i++) {
		if (prototypes[i]->kind == XS_REFERENCE_KIND) {
			xsVar(1) = *prototypes[i];
			xsCall1(xsVar(0), xsID("freeze"), xsVar(1));
		}
	}
	for (i = 0; i < mxTypeArrayCount; i++) {
		xsVar(1) = the->stackPrototypes[-1 - (txInteger)gxTypeDispatches[i].constructorID];
		xsVar(2) = xsGet(xsVar(1), mxID(_prototype));
		xsCall1(xsVar(0), xsID("freeze"), xsVar(2));
	}
	xsVar(1) = mxEnumeratorFunction;
	xsVar(2) = xsGet(xsVar(1), mxID(_prototype));
	xsCall1(xsVar(0), xsID("freeze"), xsVar(2));
	xsVar(1) = mxArrayPrototype;
	xsVar(2) = xsGet(xsVar(1), mxID(_Symbol_unscopables));
	xsCall1(xsVar(0), xsID("freeze"), xsVar(2));
}

/* ---- the preload phase ---- */

static void simPreloadFulfilled(txMachine* the)
{
}

static void simPreloadRejected(txMachine* the)
{
	xsException = xsArg(0);
	simReportException(the, "a preloaded module (the XS linker would fail the build)");
}

/* Run the bodies of the `count` modules in `specifiers` (and what they import) as the linker does, then make
 * what they created behave as flash does. `warnings`: print the linker's warnings to stderr. */
void simPreloadBodies(xsMachine* the, const char** specifiers, int count, int warnings)
{
	int i;
	if (!count)
		return;
	xsBeginHost(the);
	{
		simSnapshot(the);
		/* no collection until the end of the phase: a slot freed and reused meanwhile would count as old */
		xsEnableGarbageCollection(0);
		gSimPreloading = 1;
		xsTry {
			for (i = 0; i < count; i++)
				simImport(the, specifiers[i], simPreloadFulfilled, simPreloadRejected);
		}
		xsCatch {
			simReportException(the, "a preloaded module (the XS linker would fail the build)");
		}
	}
	xsEndHost(the);
	simDrainJobs(the);
	gSimPreloading = 0;
	xsBeginHost(the);
	{
		txSlot* realm = mxProgram.value.reference->next->value.module.realm;
		xsEnableGarbageCollection(1);
		xsCollectGarbage();
		xsBeginHost(the);
		simGuardWeakCollections(the);      /* before simPetrify freezes the built-in constructors' prototypes */
		xsEndHost(the);
		simPetrify(the);
		simFreezeBuiltIns(the);
		simPetrifyFrozen(the);
		if (warnings)
			simCheckAliases(the, mxOwnModules(realm)->value.reference);
	}
	xsEndHost(the);
	free(gBefore);
	gBefore = NULL;
	gBeforeCount = 0;
}

/* Called by every native function (hostfns.c) while preloading: the linker refuses to call one. */
void simPreloadRefuse(xsMachine* the, const char* name)
{
	mxTypeError("link: unavailable function (%s called while preloading: the XS linker fails the build; call it at run time)", name);
}

