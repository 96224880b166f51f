/* xsnet simulator: XS platform definitions (selected with -DXSPLATFORM="xsnet_platform.h").
 * The engine sources come from the npm package @agoric/xsnap (XS 13.3); this header and the
 * host around it are ours. */
#ifndef XSNET_PLATFORM_H
#define XSNET_PLATFORM_H

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

/* The sanitizer build (hosts/sim/Makefile SANITIZE=1) with GCC before 14, which has no __has_feature: XS exempts
 * its word-at-a-time UTF-8 length scan (fxUnicodeLength, which reads whole aligned words past the string's end on
 * purpose) from AddressSanitizer only when __has_feature(address_sanitizer) says so. */
#if defined(__SANITIZE_ADDRESS__) && !defined(__has_feature)
#define __has_feature(feature) __xsnet_has_feature_##feature
#define __xsnet_has_feature_address_sanitizer 1
#endif

#define mxUseGCCAtomics 1
#define mxUsePOSIXThreads 1

#define mxMachinePlatform \
	void* host; \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink;

#define mxUseDefaultBuildKeys 1
#define mxUseDefaultChunkAllocation 1
#define mxUseDefaultSlotAllocation 1
#define mxUseDefaultParseScript 1
#define mxUseDefaultSharedChunks 1
#ifndef mxDebug
#define mxUseDefaultDebug 1   /* the debug build (DEBUG=1) has its own connection to xsbug: debug/xsbug.c */
#endif

#endif
