/* For the cross-compile checks only (tests/native-lwip.test.js): an XS platform header for a bare-metal target
 * (xtensa-lx106 for ESP8266, rv32imc for ESP32-C3-like cores) with picolibc: the C library headers a board has,
 * nothing of POSIX (Moddable's esp/esp32 platform headers bring their SDK instead). Selected with
 * -DINCLUDE_XSPLATFORM -DXSPLATFORM="xsnet_device_platform.h". */
#ifndef XSNET_DEVICE_PLATFORM_H
#define XSNET_DEVICE_PLATFORM_H

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

#define mxMachinePlatform \
	void* host;

#define mxUseDefaultBuildKeys 1
#define mxUseDefaultChunkAllocation 1
#define mxUseDefaultSlotAllocation 1
#define mxUseDefaultSharedChunks 1
#define mxUseDefaultDebug 1

#endif
