/* xsnet simulator: module byte code held as a board holds it, outside the collected heap.
 *
 * On a device every module's byte code is in flash: the XS linker (Moddable's xsl, fxMapCode in xslBase.c)
 * rewrites each function literal's XS_CODE_CODE_n into XS_CODE_CODE_ARCHIVE_n and each string literal's
 * XS_CODE_STRING_n into XS_CODE_STRING_ARCHIVE_n, so that at run time a function created from the module points
 * at its byte code where it lies (XS_CODE_X_KIND) and a string literal is the text in the byte code
 * (XS_STRING_X_KIND). XS's loader for code in RAM does otherwise: every evaluation of a function expression
 * copies the function's byte code into a chunk of the collected heap, and every evaluation of a string literal
 * copies the string; the collector then marks, sweeps and compacts that code with the app's own data. This file
 * does what the linker does, for every module the simulator loads, preloaded or not (a device has both in flash),
 * and keeps the byte code for the life of the process, as flash is. Code given to eval or `new Function` stays in
 * the collected heap, as on a device.
 *
 * XS's fxRunScript maps the script's symbols to keys and then frees the script; it is given the script with its
 * symbols already mapped here (fxRemapIDs), so that it keeps the byte code. */
#include "engine.h"
#include "xsScript.h"

extern void fxRemapIDs(txMachine* the, txByte* codeBuffer, txSize codeSize, txID* theIDs);  /* xsRun.c */

typedef struct simFlash {
	struct simFlash* next;
	txScript* script;
} simFlash;
static simFlash* gFlash = NULL;          /* every archived script: reachable until exit, as flash is */
static uint64_t gFlashBytes = 0;

/* XS_CODE_CODE_n -> XS_CODE_CODE_ARCHIVE_n, XS_CODE_STRING_n -> XS_CODE_STRING_ARCHIVE_n (xsl's fxMapCode). */
static void simArchiveCodes(txByte* p, txByte* q)
{
	while (p < q) {
		txU1 code = *((txU1*)p);
		txS1 offset;
		switch (code) {
		case XS_CODE_CODE_1: code = XS_CODE_CODE_ARCHIVE_1; break;
		case XS_CODE_CODE_2: code = XS_CODE_CODE_ARCHIVE_2; break;
		case XS_CODE_CODE_4: code = XS_CODE_CODE_ARCHIVE_4; break;
		case XS_CODE_STRING_1: code = XS_CODE_STRING_ARCHIVE_1; break;
		case XS_CODE_STRING_2: code = XS_CODE_STRING_ARCHIVE_2; break;
		case XS_CODE_STRING_4: code = XS_CODE_STRING_ARCHIVE_4; break;
		}
		*((txU1*)p) = code;
		offset = gxCodeSizes[code];
		if (0 < offset)
			p += offset;
		else if (0 == offset)
			p += 1 + sizeof(txID);
		else if (-1 == offset) {
			txU1 index = *((txU1*)(p + 1));
			p += 2 + index;
		}
		else if (-2 == offset) {
			txU2 index;
			p++;
			mxDecode2(p, index);
			p += index;
		}
		else {
			txS4 index;
			p++;
			mxDecode4(p, index);
			p += index;
		}
	}
}

void simArchiveScript(txMachine* the, txScript* script)
{
	simFlash* flash;
	if (!script || !script->codeBuffer)
		return;
	if (script->symbolsBuffer) {
		txByte* p = script->symbolsBuffer;
		txID c, i;
		txID* ids;
		mxDecodeID(p, c);
		ids = c_malloc((c ? c : 1) * sizeof(txID));
		if (!ids)
			fxAbort(the, XS_NOT_ENOUGH_MEMORY_EXIT);
		ids[0] = XS_NO_ID;
		for (i = 1; i < c; i++) {
			ids[i] = fxNewNameC(the, (txString)p);
			p += mxStringLength((char*)p) + 1;
		}
		fxRemapIDs(the, script->codeBuffer, script->codeSize, ids);
		c_free(ids);
		c_free(script->symbolsBuffer);
		script->symbolsBuffer = NULL;
		script->symbolsSize = 0;
	}
	simArchiveCodes(script->codeBuffer, script->codeBuffer + script->codeSize);
	flash = c_malloc(sizeof(simFlash));
	if (!flash)
		fxAbort(the, XS_NOT_ENOUGH_MEMORY_EXIT);
	flash->script = script;
	flash->next = gFlash;
	gFlash = flash;
	gFlashBytes += (uint64_t)script->codeSize;
}

void simArchiveLoaded(txScript* script)
{
	/* what fxRunScript would have freed with the script, less the byte code */
	if (script->hostsBuffer) {
		c_free(script->hostsBuffer);
		script->hostsBuffer = NULL;
		script->hostsSize = 0;
	}
}

uint64_t simArchiveBytes(void)
{
	return gFlashBytes;
}
