/* For the compile check only (tests/native-lwip.test.js): the Moddable device runtime functions that
 * modules/native/lwip uses, declared as the Moddable SDK's device xsHost.h declares them. On a board
 * the SDK's own header provides them. */
#ifndef XSNET_CHECK_MODDABLE_DEVICE_H
#define XSNET_CHECK_MODDABLE_DEVICE_H
#include <stdint.h>
typedef struct xsMachineRecord xsMachineCheck;
typedef void (*modMessageDeliver)(void* the, void* refcon, uint8_t* message, uint16_t messageLength);
int modMessagePostToMachine(xsMachineCheck* the, uint8_t* message, uint16_t messageLength, modMessageDeliver callback, void* refcon);
/* Moddable's critical section (esp32: portENTER_CRITICAL_SAFE on a spinlock; esp: noInterrupts): macros there */
void modCriticalSectionBegin(void);
void modCriticalSectionEnd(void);
#endif
