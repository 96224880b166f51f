/* xsnet/native for boards: how the XS task reaches lwIP, and what both of them share.
 *
 * With NO_SYS=0 (ESP32: ESP-IDF runs lwIP in its own "tcpip" task) lwIP's raw API belongs to lwIP's thread:
 * xsnetLwipCall(function, record) runs `function` there and waits for it to return, through lwIP's
 * tcpip_api_call() — under the core lock (LOCK_TCPIP_CORE) when LWIP_TCPIP_CORE_LOCKING is on, else as a message
 * to the tcpip thread and a semaphore. `record` is a struct whose first member is `xsnetLwipCallData call`; the
 * function gets a pointer to that member and returns an err_t. With NO_SYS=1 (ESP8266: lwIP runs in XS's own task)
 * it is a plain call. Moddable's lwIP sockets do the same (modLwipSafe.c: tcpip_api_call per raw-API call).
 *
 * lwIP's callbacks (raw/udp/tcp receive) run on lwIP's thread; what they share with the XS task is touched only
 * between xsnetLock() and xsnetUnlock(): Moddable's modCriticalSectionBegin/End (a spinlock on ESP32, interrupts
 * off on ESP8266). Keep those sections short: no allocation, no lwIP call, no XS call inside.
 * Written for xsnet against lwIP's public headers. */
#ifndef XSNET_LWIPCALL_H
#define XSNET_LWIPCALL_H

#include "lwip/opt.h"
#include "lwip/err.h"

#if !NO_SYS
	#include "lwip/priv/tcpip_priv.h"
	typedef struct tcpip_api_call_data xsnetLwipCallData;
	#define xsnetLwipCall(function, record) tcpip_api_call((function), &(record)->call)
#else
	typedef struct { uint8_t unused; } xsnetLwipCallData;
	#define xsnetLwipCall(function, record) (function)(&(record)->call)
#endif

#define xsnetLock() modCriticalSectionBegin()
#define xsnetUnlock() modCriticalSectionEnd()

#endif
