/* xsnet simulator: source maps for the module loader (modules.c). simSourceMap(): a module whose compiled
 * JavaScript ends with `//# sourceMappingURL=` is given the lines and the path of its source (the TypeScript), so
 * that stack traces and xsbug show app.ts:12, not app.js:9. */
#include "engine.h"
#include "xsScript.h"
#include <limits.h>

void simSourceMap(void* it, const char* path, char* name)
{
	txParser* parser = it;
	char map[PATH_MAX], source[PATH_MAX];
	const char* slash;
	FILE* file;
	if (!name || !name[0])
		return;
	slash = strrchr(path, '/');
	if (name[0] == '/')
		snprintf(map, sizeof(map), "%s", name);
	else
		snprintf(map, sizeof(map), "%.*s%s", slash ? (int)(slash - path + 1) : 0, path, name);
	file = fopen(map, "r");
	if (!file)
		return;
	{
		txString sourceName = NULL;
		parser->path = fxNewParserSymbol(parser, map);
		fxParserSourceMap(parser, file, (txGetter)fgetc, 0, &sourceName);
		fclose(file);
		if (parser->errorCount || !sourceName) {
			parser->lines = NULL;
			parser->path = fxNewParserSymbol(parser, (txString)path);
			return;
		}
		if (sourceName[0] == '/')
			snprintf(source, sizeof(source), "%s", sourceName);
		else {
			slash = strrchr(map, '/');
			snprintf(source, sizeof(source), "%.*s%s", slash ? (int)(slash - map + 1) : 0, map, sourceName);
		}
		if (realpath(source, map))   /* "../../src/x.ts" of a map: the file's own path, for xsbug's breakpoints */
			snprintf(source, sizeof(source), "%s", map);
		parser->path = fxNewParserSymbol(parser, source);
	}
}
