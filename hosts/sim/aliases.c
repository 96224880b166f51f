/* xsnet simulator: the XS linker's warnings about preloaded modules, as xsl prints them ("### warning: spec:
 * path: not frozen" / "no const"): closures and objects reachable from a preloaded module's exports that the
 * linker would alias in RAM (each costs a pointer of RAM on a device). Walked after the preload phase
 * (preload.c); each object is visited once and each writable variable reported once, at its first path. */
#include "engine.h"
#include "preload.h"

enum { SIM_LINK_MODULE, SIM_LINK_EXPORT, SIM_LINK_ENVIRONMENT, SIM_LINK_PROPERTY, SIM_LINK_ITEM, SIM_LINK_GETTER,
	SIM_LINK_SETTER, SIM_LINK_GLOBAL };
typedef struct { int flag; txID id; txIndex index; const char* name; } simLink;
#define SIM_LINK_DEPTH 64          /* links printed at most */
#define SIM_WALK_DEPTH 512         /* deeper objects are not checked (the walk recurses on the C stack) */
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

static simLink* simTop(simAliasList* list)
{
	return list->depth <= SIM_LINK_DEPTH ? &list->links[list->depth - 1] : NULL;
}

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


static void simCheckInstance(txMachine* the, txSlot* instance, simAliasList* list);

static void simCheckProperty(txMachine* the, txSlot* property, simAliasList* list)
{
	if (property->kind == XS_REFERENCE_KIND)
		simCheckInstance(the, property->value.reference, list);
	else if (property->kind == XS_ACCESSOR_KIND) {
		simLink* top = simTop(list);
		txID id = top ? top->id : XS_NO_ID;
		if (property->value.accessor.getter) {
			if ((top = simTop(list)))
				top->flag = SIM_LINK_GETTER;
			simCheckInstance(the, property->value.accessor.getter, list);
		}
		if (property->value.accessor.setter) {
			if ((top = simTop(list))) {
				top->flag = SIM_LINK_SETTER;
				top->id = id;
			}
			simCheckInstance(the, property->value.accessor.setter, list);
		}
	}
}

static void simCheckEnvironment(txMachine* the, txSlot* environment, simAliasList* list)
{
	txSlot* closure = environment->next;
	if ((environment->flag & XS_LEVEL_FLAG) || list->depth > SIM_WALK_DEPTH)
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
	if ((instance->flag & XS_LEVEL_FLAG) || list->depth > SIM_WALK_DEPTH)
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
void simCheckAliases(txMachine* the, txSlot* modules)
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

