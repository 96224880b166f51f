/* xsnet simulator: the module loader. Specifiers are mapped to files through a module map, the way a
 * Moddable manifest's "modules" section maps them on a device; module source is parsed at run time and its byte
 * code then held outside the collected heap, as a device holds it in flash (archive.c).
 * Host modules (hosts/sim/js) may declare native functions with XS's `@ "name"` syntax; those names
 * are looked up in the table main.c hands over (simModulesSetHostFunctions). */
#include "engine.h"
#include "xsScript.h"
#include <limits.h>
#include <sys/stat.h>

static int simIsHostPath(const char* path);
static const simHostFunction* gHostFunctions = NULL;

void simModulesSetHostFunctions(const simHostFunction* table)
{
	gHostFunctions = table;
}

typedef struct {
	char* specifier;      /* "nodemcu/net", or a prefix pattern ending in an asterisk */
	char* path;           /* absolute path, with "*" where the pattern's tail goes */
	int wildcard;
	int host;             /* may use `@ "name"` native bindings */
} simMapEntry;

static simMapEntry* gMap = NULL;
static int gMapCount = 0;
static const char** gPreloads = NULL;   /* "!preload<TAB>specifier" lines: modules to preload, in order */
static int gPreloadCount = 0;
static char** gArgs = NULL;
static int gArgCount = 0;
static txScript* gLoadingScript = NULL;

static char* simStrdup(const char* s, size_t n)
{
	char* r = malloc(n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

int simModulesLoadMap(const char* path)
{
	FILE* f = fopen(path, "r");
	char line[4 * PATH_MAX];
	if (!f) {
		fprintf(stderr, "xsnet-sim: cannot read module map %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char* tab = strchr(line, '\t');
		char* end;
		char* tab2;
		simMapEntry* e;
		if (!tab || line[0] == '#')
			continue;
		end = line + strlen(line);
		while (end > tab && (end[-1] == '\n' || end[-1] == '\r'))
			*--end = 0;
		if (!strncmp(line, "!preload\t", 9)) {
			gPreloads = realloc(gPreloads, (gPreloadCount + 1) * sizeof(char*));
			gPreloads[gPreloadCount++] = simStrdup(tab + 1, strlen(tab + 1));
			continue;
		}
		gMap = realloc(gMap, (gMapCount + 1) * sizeof(simMapEntry));
		e = &gMap[gMapCount++];
		e->specifier = simStrdup(line, tab - line);
		tab2 = strchr(tab + 1, '\t');
		e->host = 0;
		if (tab2) {
			e->host = !strcmp(tab2 + 1, "host");
			*tab2 = 0;
		}
		e->path = simStrdup(tab + 1, strlen(tab + 1));
		e->wildcard = (tab - line) > 0 && line[tab - line - 1] == '*';
	}
	fclose(f);
	return 0;
}

void simModulesSetArgs(int argc, char** argv)
{
	gArgCount = argc;
	gArgs = argv;
}

const char** simModulesPreloads(int* count)
{
	*count = gPreloadCount;
	return gPreloads;
}

/* The specifier that maps to `path` (a real path), for messages; NULL when none does. An exact entry wins, then
 * the pattern with the longest folder. Returns the entry's string or a static buffer. */
const char* simModulesSpecifier(const char* path)
{
	static char buffer[PATH_MAX];
	char real[PATH_MAX], dir[PATH_MAX];
	size_t best = 0, n = strlen(path);
	int i;
	buffer[0] = 0;
	for (i = 0; i < gMapCount; i++) {
		simMapEntry* e = &gMap[i];
		const char *star, *slash;
		size_t tail, rn, skip;
		if (!e->wildcard) {
			if (realpath(e->path, real) && !strcmp(real, path))
				return e->specifier;
			continue;
		}
		star = strchr(e->path, '*');
		slash = strrchr(e->path, '/');
		if (!star || !slash || slash > star)
			continue;
		tail = strlen(star + 1);
		skip = star - slash - 1;             /* pattern characters between the folder and the "*" */
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - e->path), e->path);
		if (!realpath(dir, real))
			continue;
		rn = strlen(real);
		if (rn <= best || n < rn + 1 + skip + tail || strncmp(path, real, rn) || path[rn] != '/'
				|| strncmp(path + rn + 1, slash + 1, skip) || strcmp(path + n - tail, star + 1))
			continue;
		best = rn;
		snprintf(buffer, sizeof(buffer), "%.*s%.*s", (int)(strlen(e->specifier) - 1), e->specifier,
			(int)(n - tail - rn - 1 - skip), path + rn + 1 + skip);
	}
	return buffer[0] ? buffer : NULL;
}

int simModulesIsHost(const char* path)
{
	return simIsHostPath(path);
}

static int simIsHostPath(const char* path)
{
	int i;
	for (i = 0; i < gMapCount; i++) {
		simMapEntry* e = &gMap[i];
		if (e->host && !e->wildcard && !strcmp(e->path, path))
			return 1;
		if (e->host && e->wildcard) {
			const char* star = strchr(e->path, '*');
			if (star && !strncmp(e->path, path, star - e->path))
				return 1;
		}
	}
	return 0;
}

/* Resolve `name` (imported by the module whose key is `moduleID`) to an absolute file path. */
static int simResolve(txMachine* the, txID moduleID, const char* name, char* out, size_t size)
{
	char buffer[PATH_MAX];
	int i;
	struct stat st;
	if (name[0] == '/') {
		snprintf(buffer, sizeof(buffer), "%s", name);
	}
	else if (!strncmp(name, "./", 2) || !strncmp(name, "../", 3)) {
		char* slash;
		const char* rest = name;
		if (moduleID == XS_NO_ID)
			return 0;
		snprintf(buffer, sizeof(buffer), "%s", fxGetKeyName(the, moduleID));
		slash = strrchr(buffer, '/');
		if (!slash)
			return 0;
		*slash = 0;
		for (;;) {
			if (!strncmp(rest, "./", 2))
				rest += 2;
			else if (!strncmp(rest, "../", 3)) {
				rest += 3;
				slash = strrchr(buffer, '/');
				if (!slash)
					return 0;
				*slash = 0;
			}
			else
				break;
		}
		if (strlen(buffer) + strlen(rest) + 2 >= sizeof(buffer))
			return 0;
		strcat(buffer, "/");
		strcat(buffer, rest);
	}
	else {
		/* exact entries first, then the longest prefix pattern */
		simMapEntry* best = NULL;
		size_t bestLength = 0;
		for (i = 0; i < gMapCount; i++) {
			simMapEntry* e = &gMap[i];
			if (!e->wildcard && !strcmp(e->specifier, name)) {
				best = e;
				break;
			}
			if (e->wildcard) {
				size_t n = strlen(e->specifier) - 1;
				if (!strncmp(e->specifier, name, n) && n >= bestLength) {
					best = e;
					bestLength = n;
				}
			}
		}
		if (!best)
			return 0;
		if (best->wildcard) {
			const char* star = strchr(best->path, '*');
			snprintf(buffer, sizeof(buffer), "%.*s%s%s", (int)(star - best->path), best->path, name + bestLength, star + 1);
		}
		else
			snprintf(buffer, sizeof(buffer), "%s", best->path);
	}
	if (stat(buffer, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* "./util" means "./util.js", as bundlers and Moddable's manifests allow */
		if (strlen(buffer) + 4 < sizeof(buffer)) {
			strcat(buffer, ".js");
			if (stat(buffer, &st) != 0)
				return 0;
		}
	}
	if (!realpath(buffer, out))
		return 0;
	(void)size;
	return 1;
}

txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot)
{
	char name[PATH_MAX];
	char path[PATH_MAX];
	fxToStringBuffer(the, slot, name, sizeof(name));
	if (!simResolve(the, moduleID, name, path, sizeof(path))) {
		if (moduleID != XS_NO_ID)
			mxReferenceError("module \"%s\" not found (imported by %s)", name, fxGetKeyName(the, moduleID));
		mxReferenceError("module \"%s\" not found", name);
	}
	return fxNewNameC(the, path);
}

/* The `script->callback` of a host module: builds the array of native functions that the module's
 * `@ "name"` declarations refer to, in declaration order. */
static void simBuildHosts(txMachine* the)
{
	txScript* script = gLoadingScript;
	txByte* p = (txByte*)script->hostsBuffer;
	txID count, i;
	txHostFunctionBuilder* builders;
	mxDecodeID(p, count);
	builders = calloc(count ? count : 1, sizeof(txHostFunctionBuilder));
	if (!builders)
		fxAbort(the, XS_NOT_ENOUGH_MEMORY_EXIT);
	for (i = 0; i < count; i++) {
		txS1 length = *((txS1*)p++);
		txID id;
		const char* name;
		const simHostFunction* f = gHostFunctions;
		mxDecodeID(p, id);
		name = (const char*)p;
		p += strlen(name) + 1;
		while (f->name && strcmp(f->name, name))
			f++;
		if (!f->name) {
			fprintf(stderr, "xsnet-sim: no native function \"%s\" (in %s)\n", name, script->path ? script->path : "?");
			exit(2);
		}
		builders[i].callback = f->callback;
		builders[i].length = length;
		builders[i].id = XS_NO_ID;
	}
	fxBuildHosts(the, count, builders);
#ifdef mxHostFunctionPrimitive
	/* kept: such host functions point to their builder */
#else
	free(builders);   /* the functions copied what they need (fxNewHostFunction) */
#endif
	mxPullSlot(mxResult);
}

static txScript* simLoadScript(txMachine* the, const char* path, txUnsigned flags)
{
	txParser _parser;
	txParser* parser = &_parser;
	txParserJump jump;
	FILE* file = NULL;
	txScript* script = NULL;
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	file = fopen(path, "r");
	if (c_setjmp(jump.jmp_buf) == 0) {
		mxParserThrowElse(file);
		txString map = NULL;
		parser->path = fxNewParserSymbol(parser, (txString)path);
		fxParserTree(parser, file, (txGetter)fgetc, flags, &map);
		fclose(file);
		file = NULL;
		simSourceMap(parser, path, map);   /* lines and path of the TypeScript source */
		fxParserHoist(parser);
		fxParserBind(parser);
		script = fxParserCode(parser);
	}
	if (file)
		fclose(file);
	fxTerminateParser(parser);
	return script;
}

void fxLoadModule(txMachine* the, txSlot* module, txID moduleID)
{
	const char* path = fxGetKeyName(the, moduleID);
	int host = simIsHostPath(path);
	txScript* script = simLoadScript(the, path, mxDebugFlag | (host ? mxCFlag : 0));
	if (!script)
		return; /* the parser has reported the syntax error; XS then throws */
	simReportBytecode(the, path, script, mxDebugFlag | (host ? mxCFlag : 0));
	simArchiveScript(the, script);      /* the byte code stays where it is, as in flash (archive.c) */
	if (script->hostsBuffer) {
		script->callback = simBuildHosts;
		gLoadingScript = script;
	}
	fxResolveModule(the, module, moduleID, script, C_NULL, C_NULL);
	gLoadingScript = NULL;
	simArchiveLoaded(script);
}

/* import(specifier).then(fulfilled, rejected), inside xsBeginHost/xsEndHost. */
void simImport(txMachine* the, const char* specifier, txCallback fulfilled, txCallback rejected)
{
	txSlot* realm = mxProgram.value.reference->next->value.module.realm;
	mxPushStringC((char*)specifier);
	fxRunImport(the, realm, XS_NO_ID);
	mxDub();
	fxGetID(the, mxID(_then));
	mxCall();
	fxNewHostFunction(the, fulfilled, 1, XS_NO_ID, XS_NO_ID);
	fxNewHostFunction(the, rejected, 1, XS_NO_ID, XS_NO_ID);
	mxRunCount(2);
	mxPop();
}

static void simMainFulfilled(txMachine* the)
{
}

static void simMainRejected(txMachine* the)
{
	xsException = xsArg(0);
	simReportException(the, "the main module");
}

void simRunMain(xsMachine* the, const char* path)
{
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		fprintf(stderr, "xsnet-sim: cannot find %s: %s\n", path, strerror(errno));
		exit(2);
	}
	xsBeginHost(the);
	{
		xsTry {
			simImport(the, real, simMainFulfilled, simMainRejected);
		}
		xsCatch {
			simReportException(the, "the main module");
		}
	}
	xsEndHost(the);
}

/* xsnet-sim/args: the app's command-line arguments (after "--"). */
void xs_sim_args(xsMachine* the)
{
	int i;
	xsResult = xsNewArray(0);
	for (i = 0; i < gArgCount; i++)
		xsSetAt(xsResult, xsInteger(i), xsString(gArgs[i]));
}

/* xsnet-sim/clock: cpu() -> seconds of CPU time this process has used (user + system). */
void xs_sim_cpu(xsMachine* the)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	xsResult = xsNumber((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Moddable's `modules` module (hosts/sim/js/modules.js): Modules.has(specifier) asks the map (false instead of the
 * loader's "not found"); Modules.importNow(specifier[, namespace]) imports synchronously (XS's fxAwaitImport). */
void xs_modules_has(txMachine* the)
{
	char name[PATH_MAX];
	char path[PATH_MAX];
	xsToStringBuffer(xsArg(0), name, sizeof(name));
	xsResult = simResolve(the, XS_NO_ID, name, path, sizeof(path)) ? xsTrue : xsFalse;
}

void xs_modules_importNow(txMachine* the)
{
	char name[PATH_MAX];
	int what = (xsToInteger(xsArgc) > 1 && xsTest(xsArg(1))) ? XS_IMPORT_NAMESPACE : XS_IMPORT_DEFAULT;
	xsToStringBuffer(xsArg(0), name, sizeof(name));
	xsResult = xsAwaitImport(name, what);
}
