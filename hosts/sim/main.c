/* xsnet simulator: the command line, and the composition of the host: the engine (machine.c, modules.c, preload.c),
 * the bindings' table, the network backend (POSIX, wrapped in the fault-injecting one when XSNET_SIM_FAULTS is set)
 * and the loop.
 *
 * usage: xsnet-sim [options] <module.js> [-- app arguments]
 *   --map <file>       module map: lines "specifier<TAB>path"; a specifier ending in "*" maps a prefix
 *   --heap <KiB>       the app's initial XS chunk heap (default 32, growing by 1 KiB: an ESP32 build's, heap.c)
 *   --slots <count>    the app's initial XS slot count (default 2048, growing by 64; 32 bytes each on 64-bit hosts)
 *   --stack <slots>    XS stack size in slots (default 1024; overflow is fatal, as on a device)
 *   --dns <ip[:port]>  DNS server 0, then 1 (repeatable); read by the app through xsnet/native
 *   --netif <name>     the interface net.ifinfo(0) reports (default: the first up, non-loopback IPv4 one)
 *   --timeout <s>      exit with status 124 if the app is still running after this many seconds
 *   --report-heap      print the app's heap in use at exit to stderr (64-bit byte counts: heap.c), and what is
 *                      held as in flash (the preloads' heap and the modules' byte code: flash.c, archive.c)
 *   --report-cpu       print the process's CPU time (user + system, seconds) at exit to stderr
 *   --trace-host       log host socket events to stderr
 *   --linker-warnings  print the XS linker's warnings about preloaded modules ("not frozen", "no const")
 *   --outside-namespace  let the lwIP backend start where interfaces besides loopback exist (see XSNET_SIM_STACK)
 * XSNET_SIM_STACK=lwip (a build with lwIP, build/sim-lwip): the network is lwIP over libslirp (net/lwip), which
 * refuses to start outside a network namespace of its own (`unshare --net`) unless --outside-namespace is given.
 * The module map's "!preload" lines name the modules whose bodies run first, as a board build preloads them
 * (preload.c) in a machine whose heap then serves as flash (flash.c); the main module runs after them in the app's.
 * Exits 0 when nothing is pending (no socket, timer or lookup left), 1 on an uncaught exception or
 * unhandled rejection (message and stack on stderr), 124 on --timeout.
 */
#include "engine.h"
#include "bindings/bindings.h"  /* the bindings' table */
#include "net/backends.h"      /* the network: its backends and settings (--dns, --netif) */
#include <inttypes.h>
#include <signal.h>
#include <sys/resource.h>

static xsMachine* volatile gMachine = NULL;  /* the machine lives as long as the process: reachable until exit */
static int gReportHeap = 0;
static int gReportCPU = 0;
static int gLinkerWarnings = 0;


void simDebugTrace(xsMachine* the, const char* text);   /* debug/xsbug.c */

/* trace(value): writes exactly its argument to stdout, flushed at every call (Moddable's trace). */
static void xs_trace(xsMachine* the)
{
	int i, c = xsToInteger(xsArgc);
	for (i = 0; i < c; i++) {
		xsStringValue s = xsToString(xsArg(i));
		fputs(s, stdout);
		simDebugTrace(the, s);   /* debug/xsbug.c: also to xsbug's log */
	}
	fflush(stdout);
}

static void simUsage(void)
{
	fprintf(stderr, "usage: xsnet-sim [--map file] [--heap KiB] [--slots n] [--stack n] [--dns ip[:port]]... "
		"[--netif name] [--timeout s] [--report-heap] [--report-cpu] [--trace-host] [--linker-warnings] "
		"module.js [-- args]\n");
	exit(2);
}

int main(int argc, char** argv)
{
	xsCreation creation = {     /* the app's machine: the chunk and slot heaps are set by simHeapCreation */
		0, 0, 0, 0,
		1024,            /* stackCount */
		2048,            /* initialKeyCount */
		1024,            /* incrementalKeyCount */
		127,             /* nameModulo */
		127,             /* symbolModulo */
		32 * 1024,       /* parserBufferSize */
		1993,            /* parserTableModulo */
		0,               /* staticSize */
	};
	xsCreation linker;
	const char* entry = NULL;
	const char* map = NULL;
	double timeout = 0, deadline = 0;
	int i, dnsIndex = 0, appArgc = 0, outsideNamespace = 0;
	char** appArgv = NULL;

	simHeapCreation(&creation, &linker);
	for (i = 1; i < argc; i++) {
		const char* a = argv[i];
		if (!strcmp(a, "--")) {
			appArgc = argc - i - 1;
			appArgv = argv + i + 1;
			break;
		}
		else if (!strcmp(a, "--map") && i + 1 < argc) map = argv[++i];
		else if (!strcmp(a, "--heap") && i + 1 < argc) creation.initialChunkSize = atoi(argv[++i]) * 1024;
		else if (!strcmp(a, "--slots") && i + 1 < argc) creation.initialHeapCount = atoi(argv[++i]);
		else if (!strcmp(a, "--stack") && i + 1 < argc) creation.stackCount = atoi(argv[++i]);
		else if (!strcmp(a, "--timeout") && i + 1 < argc) timeout = atof(argv[++i]);
		else if (!strcmp(a, "--dns") && i + 1 < argc) {
			if (dnsIndex < 2) {
				if (!simNetSetDNSServer(dnsIndex, argv[++i]))
					fprintf(stderr, "xsnet-sim: invalid DNS server %s (a.b.c.d or a.b.c.d:port)\n", argv[i]);
				dnsIndex++;
			}
			else
				i++;
		}
		else if (!strcmp(a, "--netif") && i + 1 < argc) simNetSetStation(argv[++i]);
		else if (!strcmp(a, "--report-heap")) gReportHeap = 1;
		else if (!strcmp(a, "--report-cpu")) gReportCPU = 1;
		else if (!strcmp(a, "--trace-host")) simTraceEnable();
		else if (!strcmp(a, "--linker-warnings")) gLinkerWarnings = 1;
		else if (!strcmp(a, "--outside-namespace")) outsideNamespace = 1;
		else if (a[0] == '-' ) simUsage();
		else if (!entry) entry = a;
		else simUsage();
	}
	if (!entry)
		simUsage();
	if (creation.initialChunkSize <= 0 || creation.initialHeapCount <= 0 || creation.stackCount <= 0)
		simUsage();
	if (map && simModulesLoadMap(map) < 0)
		return 2;
	simModulesSetArgs(appArgc, appArgv);
	signal(SIGPIPE, SIG_IGN);
	simLoopInit();
	{
		const char* faults = getenv("XSNET_SIM_FAULTS");
		const char* stack = getenv("XSNET_SIM_STACK");
		const simNetFunctions* net = simNetPOSIX();
		if (stack && *stack && strcmp(stack, "posix")) {
#ifdef XSNET_SIM_LWIP
			if (!strcmp(stack, "lwip")) {
				if (!(net = simNetLwIP(outsideNamespace)))
					return 2;         /* refused or failed: simNetLwIP said why */
			}
			else
#else
			(void)outsideNamespace;
#endif
			{
				fprintf(stderr, "xsnet-sim: XSNET_SIM_STACK=%s: no such network backend in this build (lwip: "
					"build/sim-lwip, tools/build-sim.js --lwip)\n", stack);
				return 2;
			}
		}
		if (faults && *faults && !(net = simNetFault(net, faults)))
			return 2;
		simNetUse(net);
	}
	if (timeout > 0)
		deadline = simNow() + timeout * 1000;

	simModulesSetHostFunctions(gSimHostFunctions);
	{
		xsMachine* the = xsCreateMachine(&linker, SIM_LINKER_NAME, NULL);   /* the linker's: preload.c */
		xsBeginHost(the);
		{
			xsVars(1);
			xsVar(0) = xsNewHostFunction(xs_trace, 1);
			xsDefine(xsGlobal, xsID("trace"), xsVar(0), xsDontEnum);
			simTimerInstallGlobals(the);
		}
		xsEndHost(the);
		{
			int count;
			const char** preloads = simModulesPreloads(&count);
			the = gMachine = simPreload(the, preloads, count, gLinkerWarnings, &creation);
		}
		simRunMain(the, entry);
		simDrainJobs(the);
		simLoopRun(deadline);
		xsBeginHost(the);
		{
			fxCheckUnhandledRejections(the, 1);
		}
		xsEndHost(the);
		fflush(stdout);
		if (gReportCPU) {
			struct rusage usage;
			getrusage(RUSAGE_SELF, &usage);
			fprintf(stderr, "xsnet-sim: cpu %.6f s (user %.6f, system %.6f)\n",
				usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6,
				usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6, usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
		}
		if (gReportHeap) {
			simHeap heap;
			simHeapSizes(the, &heap);
			fprintf(stderr, "xsnet-sim: heap %" PRIu64 " bytes in use (chunks %" PRIu64 " + slots %" PRIu64 "), peak %"
				PRIu64 "\n", heap.chunks + heap.slots, heap.chunks, heap.slots, heap.chunksPeak + heap.slotsPeak);
			{
				uint64_t flashHeap, flashCode;
				simFlashSizes(&flashHeap, &flashCode);
				fprintf(stderr, "xsnet-sim: flash %" PRIu64 " bytes (preloaded heap %" PRIu64 " + byte code %" PRIu64 ")\n",
					flashHeap + flashCode, flashHeap, flashCode);
			}
		}
	}
	return 0;
}
