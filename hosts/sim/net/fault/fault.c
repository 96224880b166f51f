#include "../net.h"
const simNetFunctions* simNetFault(const simNetFunctions* inner, const char* spec) { return inner; }
