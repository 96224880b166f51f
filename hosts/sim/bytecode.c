/* xsnet simulator: byte code sizes for `npm run bench` (tools/bench.js measureBytecode). When the environment
 * has XSNET_REPORT_BYTECODE, every module the loader compiles is reported on stderr as
 *   bytecode <path> <bytes as loaded> <bytes without line numbers>
 * The loader compiles with XS's debug flag (line-number instructions, for stack traces); the second figure is the
 * module compiled again without it, as a device's release build holds it (what `xsc` writes to a .xsb). */
#include "engine.h"
#include "xsScript.h"

static int gReport = -1;

/* Compile `path` again with `flags`; the byte code size, or -1 when it does not compile. */
static txSize simCodeSize(txMachine* the, const char* path, txUnsigned flags)
{
	txParser _parser;
	txParser* parser = &_parser;
	txParserJump jump;
	FILE* file = NULL;
	txSize size = -1;
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	file = fopen(path, "r");
	if (c_setjmp(jump.jmp_buf) == 0) {
		mxParserThrowElse(file);
		parser->path = fxNewParserSymbol(parser, (txString)path);
		fxParserTree(parser, file, (txGetter)fgetc, flags, NULL);
		fclose(file);
		file = NULL;
		fxParserHoist(parser);
		fxParserBind(parser);
		txScript* script = fxParserCode(parser);
		if (script) {
			size = script->codeSize;
			fxDeleteScript(script);
		}
	}
	if (file)
		fclose(file);
	fxTerminateParser(parser);
	return size;
}

void simReportBytecode(txMachine* the, const char* path, txScript* script, txUnsigned flags)
{
	if (gReport < 0)
		gReport = getenv("XSNET_REPORT_BYTECODE") != NULL;
	if (!gReport || !script)
		return;
	fprintf(stderr, "bytecode %s %ld %ld\n", path, (long)script->codeSize,
		(long)simCodeSize(the, path, flags & ~mxDebugFlag));
}
