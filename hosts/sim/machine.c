/* xsnet simulator: the XS machine's platform hooks, promise jobs, exception reporting and callbacks from the
 * loop. Every function takes the machine it works on; nothing here is reached as a global. */
#include "engine.h"

static int gJobsPending = 0;      /* fxQueuePromiseJobs was called: simDrainJobs has work */

void fxCreateMachinePlatform(txMachine* the)
{
	the->host = NULL;
}

void fxDeleteMachinePlatform(txMachine* the)
{
}

void fxQueuePromiseJobs(txMachine* the)
{
	gJobsPending = 1;
}

static void simPrintSlot(xsMachine* the, xsSlot* slot)
{
	/* Prints an exception: its message, then its stack when it has one. */
	xsTry {
		xsSlot value = *slot;
		xsStringValue text = xsToString(value);
		fprintf(stderr, "%s\n", text);
		if (xsIsInstanceOf(value, xsObjectPrototype) && xsHas(value, xsID("stack"))) {
			xsSlot stack = xsGet(value, xsID("stack"));
			if (xsTypeOf(stack) == xsStringType)
				fprintf(stderr, "%s\n", xsToString(stack));
		}
	}
	xsCatch {
		fprintf(stderr, "(exception could not be printed)\n");
	}
}

void simReportException(xsMachine* the, const char* where)
{
	xsSlot exception = xsException;
	fflush(stdout);
	fprintf(stderr, "xsnet-sim: uncaught exception%s%s: ", where ? " in " : "", where ? where : "");
	simPrintSlot(the, &exception);
	fflush(stderr);
	exit(1);
}

void fxAbort(txMachine* the, int status)
{
	fflush(stdout);
	switch (status) {
	case XS_STACK_OVERFLOW_EXIT: fprintf(stderr, "xsnet-sim: stack overflow (raise --stack)\n"); break;
	case XS_NOT_ENOUGH_MEMORY_EXIT: fprintf(stderr, "xsnet-sim: memory full\n"); break;
	case XS_NO_MORE_KEYS_EXIT: fprintf(stderr, "xsnet-sim: not enough keys\n"); break;
	case XS_UNHANDLED_EXCEPTION_EXIT:
	case XS_UNHANDLED_REJECTION_EXIT: {
		xsSlot exception = mxException;
		fprintf(stderr, "xsnet-sim: %s: ", status == XS_UNHANDLED_EXCEPTION_EXIT ? "uncaught exception" : "unhandled rejection");
		mxException = mxUndefined;
		simPrintSlot(the, &exception);
		break;
	}
	default: fprintf(stderr, "xsnet-sim: fatal error %d\n", status); break;
	}
	fflush(stderr);
	exit(status == XS_UNHANDLED_EXCEPTION_EXIT || status == XS_UNHANDLED_REJECTION_EXIT ? 1 : 2);
}

void simDrainJobs(xsMachine* the)
{
	while (gJobsPending) {
		gJobsPending = 0;
		xsBeginHost(the);
		{
			xsTry {
				fxRunPromiseJobs(the);
			}
			xsCatch {
				simReportException(the, "a promise job");
			}
			/* As Node does: a rejection still unhandled once the jobs are drained is fatal. */
			if (!gJobsPending && mxUnhandledPromises.value.reference->next)
				fxCheckUnhandledRejections(the, 1);
		}
		xsEndHost(the);
	}
}

void simCallback(xsMachine* the, xsSlot* thisSlot, xsSlot* fn, int argc, xsSlot* argv)
{
	xsBeginHost(the);
	{
		xsTry {
			int i;
			xsOverflow(-XS_FRAME_COUNT - argc);
			fxPush(*thisSlot);
			fxPush(*fn);
			fxCall(the);
			for (i = 0; i < argc; i++)
				fxPush(argv[i]);
			fxRunCount(the, argc);
			(void)fxPop();
		}
		xsCatch {
			simReportException(the, "a callback");
		}
	}
	xsEndHost(the);
	simDrainJobs(the);
}
