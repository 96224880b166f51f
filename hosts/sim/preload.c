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
#include "sim.h"

int gSimPreloading = 0;

static txSlot** gBefore = NULL;        /* slots in use before the preload phase, sorted */
static size_t gBeforeCount = 0;

static int simComparePointers(const void* a, const void* b)
{
	uintptr_t x = (uintptr_t)*(txSlot* const*)a, y = (uintptr_t)*(txSlot* const*)b;
	return x < y ? -1 : x > y ? 1 : 0;
}

/* Mark the free slots (XS_MARK_FLAG), as xsl does, so that a heap walk sees only slots in use. */
static void simMarkFree(txMachine* the, int mark)
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

#define SIM_EACH_SLOT(SLOT) \
	for (txSlot* heap_ = the->firstHeap; heap_; heap_ = heap_->next) \
		for (txSlot* SLOT = heap_ + 1; SLOT < heap_->value.reference; SLOT++) \
			if (!(SLOT->flag & XS_MARK_FLAG))

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

static int simIsFunction(txSlot* internal)
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

/* ---- the linker's warnings: aliasable closures and objects reachable from preloaded modules ---- */

enum { SIM_LINK_MODULE, SIM_LINK_EXPORT, SIM_LINK_ENVIRONMENT, SIM_LINK_PROPERTY, SIM_LINK_ITEM, SIM_LINK_GETTER,
	SIM_LINK_SETTER, SIM_LINK_GLOBAL };
typedef struct { int flag; txID id; txIndex index; const char* name; } simLink;
#define SIM_LINK_DEPTH 64
typedef struct {
	simLink links[SIM_LINK_DEPTH];
	int depth;
	int warnings;
	int errors;
	txSlot** reported;        /* variables already reported (each once, as xsl reports each alias once) */
	size_t reportedCount;
} simAliasList;

/* Report a writable variable once, at the first path that reaches it. */
static void simReportVariable(txMachine* the, simAliasList* list, txSlot* variable);

static void simPush(simAliasList* list, int flag, txID id, txIndex index, const char* name)
{
	if (list->depth < SIM_LINK_DEPTH) {
		simLink* l = &list->links[list->depth];
		l->flag = flag; l->id = id; l->index = index; l->name = name;
	}
	list->depth++;
}

static void simAliasReport(txMachine* the, simAliasList* list, const char* what, int error)
{
	int i, n = list->depth < SIM_LINK_DEPTH ? list->depth : SIM_LINK_DEPTH;
	fprintf(stderr, error ? "### error" : "### warning");
	for (i = 0; i < n; i++) {
		simLink* l = &list->links[i];
		const char* key = l->id != XS_NO_ID ? fxGetKeyName(the, l->id) : NULL;
		switch (l->flag) {
		case SIM_LINK_MODULE: fprintf(stderr, ": %s", l->name); continue;
		case SIM_LINK_GLOBAL: fprintf(stderr, ": globalThis.%s", key ? key : "?"); continue;
		case SIM_LINK_ITEM: fprintf(stderr, "[%u]", (unsigned)l->index); continue;
		case SIM_LINK_EXPORT: fprintf(stderr, ": "); break;
		case SIM_LINK_ENVIRONMENT: fprintf(stderr, "() "); break;
		case SIM_LINK_GETTER: fprintf(stderr, ".get "); break;
		case SIM_LINK_SETTER: fprintf(stderr, ".set "); break;
		default: fprintf(stderr, "."); break;
		}
		if (key)
			fprintf(stderr, "%s", key);
		else
			fprintf(stderr, "%d", (int)l->id);
	}
	fprintf(stderr, ": %s\n", what);
	if (error)
		list->errors++;
	else
		list->warnings++;
}

static void simReportVariable(txMachine* the, simAliasList* list, txSlot* variable)
{
	size_t i;
	if (variable->flag & XS_DONT_SET_FLAG)
		return;
	for (i = 0; i < list->reportedCount; i++)
		if (list->reported[i] == variable)
			return;
	list->reported = realloc(list->reported, (list->reportedCount + 1) * sizeof(txSlot*));
	list->reported[list->reportedCount++] = variable;
	simAliasReport(the, list, "no const", 0);
}

static int simIsFrozen(txMachine* the, txSlot* instance)
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

static void simCheckInstance(txMachine* the, txSlot* instance, simAliasList* list);

static void simCheckProperty(txMachine* the, txSlot* property, simAliasList* list)
{
	if (property->kind == XS_REFERENCE_KIND)
		simCheckInstance(the, property->value.reference, list);
	else if (property->kind == XS_ACCESSOR_KIND) {
		txID id = list->links[list->depth - 1].id;
		if (property->value.accessor.getter) {
			list->links[list->depth - 1].flag = SIM_LINK_GETTER;
			simCheckInstance(the, property->value.accessor.getter, list);
		}
		if (property->value.accessor.setter) {
			list->links[list->depth - 1].flag = SIM_LINK_SETTER;
			list->links[list->depth - 1].id = id;
			simCheckInstance(the, property->value.accessor.setter, list);
		}
	}
}

static void simCheckEnvironment(txMachine* the, txSlot* environment, simAliasList* list)
{
	txSlot* closure = environment->next;
	if (environment->flag & XS_LEVEL_FLAG)
		return;
	environment->flag |= XS_LEVEL_FLAG;
	if (environment->value.instance.prototype)
		simCheckEnvironment(the, environment->value.instance.prototype, list);
	for (; closure; closure = closure->next) {
		txSlot* slot;
		if (closure->kind != XS_CLOSURE_KIND || !(slot = closure->value.closure))
			continue;
		simPush(list, SIM_LINK_ENVIRONMENT, closure->ID, 0, NULL);
		simReportVariable(the, list, slot);
		if (slot->kind == XS_REFERENCE_KIND)
			simCheckInstance(the, slot->value.reference, list);
		list->depth--;
	}
}

static void simCheckInstance(txMachine* the, txSlot* instance, simAliasList* list)
{
	txSlot* property = instance->next;
	if (instance->flag & XS_LEVEL_FLAG)
		return;
	instance->flag |= XS_LEVEL_FLAG;
	if (instance->value.instance.prototype) {
		simPush(list, SIM_LINK_PROPERTY, mxID(___proto__), 0, NULL);
		simCheckInstance(the, instance->value.instance.prototype, list);
		list->depth--;
	}
	if (!simIsFrozen(the, instance))
		simAliasReport(the, list, "not frozen", 0);
	for (; property && (property->flag & XS_INTERNAL_FLAG); property = property->next) {
		if (property->kind == XS_ARRAY_KIND) {
			txSlot* item = property->value.array.address;
			txIndex i, length = fxGetIndexSize(the, property);
			for (i = 0; i < length; i++, item++) {
				simPush(list, SIM_LINK_ITEM, XS_NO_ID, *((txIndex*)item), NULL);
				simCheckProperty(the, item, list);
				list->depth--;
			}
		}
		else if ((property->kind == XS_CODE_KIND || property->kind == XS_CODE_X_KIND) && property->value.code.closures)
			simCheckEnvironment(the, property->value.code.closures, list);
		else if (property->kind == XS_PROXY_KIND) {
			if (property->value.proxy.handler)
				simCheckInstance(the, property->value.proxy.handler, list);
			if (property->value.proxy.target)
				simCheckInstance(the, property->value.proxy.target, list);
		}
		else if (property->kind == XS_STACK_KIND)
			simAliasReport(the, list, "generator", 1);
	}
	for (; property; property = property->next) {
		simPush(list, SIM_LINK_PROPERTY, property->ID, 0, NULL);
		simCheckProperty(the, property, list);
		list->depth--;
	}
}

/* Check every preloaded module's exports (host modules, which stand for Moddable's own, excepted). */
static void simCheckAliases(txMachine* the, txSlot* modules)
{
	simAliasList _list, *list = &_list;
	txSlot* module;
	memset(list, 0, sizeof(*list));
	for (module = modules->next; module; module = module->next) {
		const char* path = fxGetKeyName(the, module->ID);
		const char* specifier;
		txSlot* export;
		if (module->kind != XS_REFERENCE_KIND || !path || simModulesIsHost(path))
			continue;
		specifier = simModulesSpecifier(path);
		export = mxModuleExports(module)->kind == XS_REFERENCE_KIND ? mxModuleExports(module)->value.reference->next : NULL;
		simPush(list, SIM_LINK_MODULE, XS_NO_ID, 0, specifier ? specifier : path);
		for (; export; export = export->next) {
			txSlot* closure = export->value.export.closure;
			if (!closure)
				continue;
			simPush(list, SIM_LINK_EXPORT, export->ID, 0, NULL);
			simReportVariable(the, list, closure);
			if (closure->kind == XS_REFERENCE_KIND)
				simCheckInstance(the, closure->value.reference, list);
			list->depth--;
		}
		list->depth--;
	}
	simMarkFree(the, 1);
	SIM_EACH_SLOT(slot) {
		if (slot->kind == XS_INSTANCE_KIND)
			slot->flag &= ~XS_LEVEL_FLAG;
	}
	simMarkFree(the, 0);
	if (list->warnings || list->errors)
		fprintf(stderr, "### %d warning(s), %d error(s) in preloaded modules\n", list->warnings, list->errors);
	free(list->reported);
}

/* ---- the preload phase ---- */

static const char* gPreloading = NULL;

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
void simPreload(xsMachine* the, const char** specifiers, int count, int warnings)
{
	int i;
	if (!count)
		return;
	xsBeginHost(the);
	{
		simSnapshot(the);
		gSimPreloading = 1;
		xsTry {
			txSlot* realm = mxProgram.value.reference->next->value.module.realm;
			for (i = 0; i < count; i++) {
				gPreloading = specifiers[i];
				mxPushStringC((char*)specifiers[i]);
				fxRunImport(the, realm, XS_NO_ID);
				mxDub();
				fxGetID(the, mxID(_then));
				mxCall();
				fxNewHostFunction(the, simPreloadFulfilled, 1, XS_NO_ID, XS_NO_ID);
				fxNewHostFunction(the, simPreloadRejected, 1, XS_NO_ID, XS_NO_ID);
				mxRunCount(2);
				mxPop();
			}
		}
		xsCatch {
			simReportException(the, "a preloaded module (the XS linker would fail the build)");
		}
	}
	xsEndHost(the);
	simDrainJobs(the);
	gSimPreloading = 0;
	gPreloading = NULL;
	xsBeginHost(the);
	{
		txSlot* realm = mxProgram.value.reference->next->value.module.realm;
		xsCollectGarbage();
		simPetrify(the);
		simFreezeBuiltIns(the);
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
