/* xsnet simulator: the engine. The XS machine and what runs JS on it: promise jobs, exception reporting,
 * callbacks from the loop and the bindings (machine.c), module loading (modules.c, archive.c), the preload phase (preload.c, aliases.c, flash.c) and
 * the heap's sizes (heap.c). The machine is passed explicitly; nothing here knows sockets. */
#ifndef XSNET_ENGINE_H
#define XSNET_ENGINE_H

#include "xsAll.h"
#include "xs.h"
#include "loop.h"
/* from xsmc.c (xsmc.h itself redefines the xs macros) */
mxImport xsIntegerValue _xsmcGetBuffer(xsMachine *the, xsSlot *slot, void **data, xsUnsignedValue *count, xsBooleanValue writable);
#define xsmcGetBufferReadable(_SLOT, data, count) _xsmcGetBuffer(the, &_SLOT, data, count, 0)
/* from xsAPI.c (xs.h declares it only without xsAll.h): the host data of an instance of the class whose hooks
 * (or destructor) is `validator`; SyntaxError for anything else */
mxImport void* fxGetHostDataValidate(xsMachine* the, xsSlot* slot, void* validator);

/* ---- the machine (machine.c) ---- */
void simDrainJobs(xsMachine* the);   /* run promise jobs until none are left; report unhandled rejections */
void simReportException(xsMachine* the, const char* where); /* print xsException with its stack, exit(1) */
/* Call `fn` (a function slot) with this = `thisSlot`, from the event loop, with exception reporting
 * and promise-job draining. */
void simCallback(xsMachine* the, xsSlot* thisSlot, xsSlot* fn, int argc, xsSlot* argv);

/* ---- the XS heap in 64-bit counts (heap.c): XS's own chunk counters are 32-bit and wrap above 2 GiB ---- */
typedef struct {
	uint64_t chunks, slots;           /* bytes in use (chunks: exact right after a collection) */
	uint64_t chunksPeak, slotsPeak;   /* the most in use so far */
	uint64_t chunksReserved;          /* bytes of chunk blocks allocated from the system */
} simHeap;
void simHeapSizes(xsMachine* the, simHeap* heap);
/* The heaps' sizes of the app's machine (a board's) and of the linker's (large); keys, stack and parser from `app` */
void simHeapCreation(xsCreation* app, xsCreation* linker);

/* ---- host functions: the table that `@ "name"` declarations are looked up in (main.c hands it over) ---- */
typedef struct {
	const char* name;
	txCallback callback;
	int length;                /* -1: a destructor for `class @ "name"` */
} simHostFunction;

/* ---- module loader (modules.c) ---- */
int simModulesLoadMap(const char* path);
void simModulesSetArgs(int argc, char** argv);
void simModulesSetHostFunctions(const simHostFunction* table);  /* ends with a NULL name */
void simRunMain(xsMachine* the, const char* path);
void simImport(txMachine* the, const char* specifier, txCallback fulfilled, txCallback rejected); /* import().then() */
int simModulesIsHost(const char* path);            /* a host module (binds native functions) */
const char* simModulesSpecifier(const char* path); /* the map's specifier for a module file, or NULL */
const char** simModulesPreloads(int* count);       /* the map's "!preload" specifiers, in order */
/* For the loader. simSourceMap: after parsing the module file `path`, whose `//# sourceMappingURL=` is `name`
 * (NULL or "": none; relative to `path`), give the parser (a txParser) the lines and path of the TypeScript
 * source; nothing changes when the map is missing or unreadable (sourcemap.c). simReportBytecode: the byte
 * code size of each module, for `npm run bench` (XSNET_REPORT_BYTECODE; bytecode.c). */
void simSourceMap(void* parser, const char* path, char* name);
void simReportBytecode(txMachine* the, const char* path, txScript* script, txUnsigned flags);
/* Module byte code outside the collected heap, as the XS linker leaves it in flash (archive.c): simArchiveScript
 * before fxResolveModule runs the script (maps its symbols, rewrites function and string literals to their
 * archive forms, keeps the byte code until exit), simArchiveLoaded after; simArchiveBytes: the byte code kept. */
void simArchiveScript(txMachine* the, txScript* script);
void simArchiveLoaded(txScript* script);
uint64_t simArchiveBytes(void);

/* ---- preloading as the XS linker does (preload.c), its heap held as flash (flash.c) ---- */
int simPreloading(void);                            /* 1 while preloaded module bodies run */
/* The name of the machine the preloads run in (main.c creates it): as xsl at build time, it has no debugger
 * (debug/xsbug.c does not connect it) */
#define SIM_LINKER_NAME "xsnet-linker"
/* Runs the preloads in `linker`; returns the machine the app runs in, made with `creation`, the preloaded modules
 * and the built-ins outside its collected heap */
xsMachine* simPreload(xsMachine* linker, const char** specifiers, int count, int warnings, xsCreation* creation);
void simPreloadRefuse(xsMachine* the, const char* name);
void simFlashSizes(uint64_t* heap, uint64_t* code); /* bytes held as in flash: the linker's heap, the byte code */ /* throws: a native function called while preloading */

#endif
