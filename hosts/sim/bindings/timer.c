/* xsnet simulator: Moddable's `timer` module (Timer.set, repeat, schedule, clear, delay) and the
 * globals setTimeout/clearTimeout/setInterval/clearInterval, over the loop's ordered timer list.
 * A scheduled timer keeps the process alive and its JS object reachable. */
#include "bindings.h"

typedef struct {
	simTimer timer;           /* first: the loop hands us this pointer back */
	xsMachine* the;           /* the machine that made it */
	xsSlot object;            /* the JS timer object, remembered while scheduled */
	xsSlot callback;
	double interval;          /* ms; a repeating timer fires every `interval` after the first */
	uint8_t repeat;
	uint8_t remembered;
	uint8_t timerStyle;       /* 1: Moddable Timer (callback gets the timer), 0: setTimeout */
} simJSTimer;

static void xs_timer_destructor(void* data);
static void simJSTimerMark(txMachine* the, void* data, txMarkRoot markRoot)
{
	simJSTimer* t = data;
	(*markRoot)(the, (txSlot*)&t->callback);
}
static const xsHostHooks gTimerHooks = { xs_timer_destructor, simJSTimerMark, NULL };

static void xs_timer_destructor(void* data)
{
	simJSTimer* t = data;
	if (!t)
		return;
	simTimerCancel(&t->timer);
	free(t);
}

static void simJSTimerForget(xsMachine* the, simJSTimer* t)
{
	if (t->remembered) {
		t->remembered = 0;
		xsForget(t->object);
	}
}

static void simJSTimerFire(simTimer* timer)
{
	simJSTimer* t = (simJSTimer*)timer;
	xsMachine* the = t->the;
	xsBeginHost(the);
	{
		int timerStyle = t->timerStyle;
		xsVars(2);
		xsVar(0) = t->object;     /* rooted on the stack: the callback may clear and drop the timer */
		xsVar(1) = t->callback;
		if (t->repeat)
			simTimerSchedule(&t->timer, t->interval);
		else
			simJSTimerForget(the, t);
		xsTry {
			if (timerStyle)
				(void)xsCallFunction1(xsVar(1), xsUndefined, xsVar(0));
			else
				(void)xsCallFunction0(xsVar(1), xsUndefined);
		}
		xsCatch {
			simReportException(the, "a timer callback");
		}
	}
	xsEndHost(the);
	simDrainJobs(the);
}

static simJSTimer* simJSTimerNew(xsMachine* the, xsSlot* callback, double delay, double interval, int repeat, int timerStyle)
{
	simJSTimer* t;
	if (!xsIsInstanceOf(*callback, xsFunctionPrototype))
		xsTypeError("callback is not a function");
	if (!(delay >= 0)) delay = 0;
	if (!(interval >= 0)) interval = 0;
	t = calloc(1, sizeof(simJSTimer));
	if (!t)
		xsUnknownError("out of memory");
	t->the = the;
	xsResult = xsNewHostObject(NULL);
	xsSetHostData(xsResult, t);
	xsSetHostHooks(xsResult, &gTimerHooks);
	t->object = xsResult;
	t->callback = *callback;
	t->interval = interval;
	t->repeat = repeat;
	t->timerStyle = timerStyle;
	t->timer.callback = simJSTimerFire;
	t->timer.data = t;
	xsRemember(t->object);
	t->remembered = 1;
	simTimerSchedule(&t->timer, delay);
	return t;
}

static simJSTimer* simJSTimerGet(xsMachine* the, xsSlot* slot)
{
	if (xsTypeOf(*slot) != xsReferenceType)
		return NULL;
	if (fxGetHostHooks(the, slot) != &gTimerHooks)
		return NULL;
	return xsGetHostData(*slot);
}

/* Timer.set(callback, delay = 0 ms[, repeat ms]) -> timer; callback(timer) */
void xs_timer_set(xsMachine* the)
{
	int argc = xsToInteger(xsArgc);
	double delay = argc > 1 ? xsToNumber(xsArg(1)) : 0;
	int repeat = argc > 2 && xsTypeOf(xsArg(2)) != xsUndefinedType;
	double interval = repeat ? xsToNumber(xsArg(2)) : 0;
	simJSTimerNew(the, &xsArg(0), delay, interval, repeat, 1);
}

/* Timer.repeat(callback, interval ms) -> timer */
void xs_timer_repeat(xsMachine* the)
{
	double interval = xsToNumber(xsArg(1));
	simJSTimerNew(the, &xsArg(0), interval, interval, 1, 1);
}

/* Timer.schedule(timer[, delay ms[, repeat ms]]): reschedule; without a delay, unschedule. */
void xs_timer_schedule(xsMachine* the)
{
	int argc = xsToInteger(xsArgc);
	simJSTimer* t = simJSTimerGet(the, &xsArg(0));
	if (!t)
		xsTypeError("not a timer");
	if (argc < 2 || xsTypeOf(xsArg(1)) == xsUndefinedType) {
		simTimerCancel(&t->timer);
		simJSTimerForget(the, t);
		return;
	}
	t->repeat = argc > 2 && xsTypeOf(xsArg(2)) != xsUndefinedType;
	t->interval = t->repeat ? xsToNumber(xsArg(2)) : 0;
	if (!t->remembered) {
		xsRemember(t->object);
		t->remembered = 1;
	}
	simTimerSchedule(&t->timer, xsToNumber(xsArg(1)));
}

/* Timer.clear(timer), clearTimeout(timer), clearInterval(timer): undefined/null are ignored. */
void xs_timer_clear(xsMachine* the)
{
	simJSTimer* t;
	if (xsToInteger(xsArgc) < 1)
		return;
	t = simJSTimerGet(the, &xsArg(0));
	if (!t)
		return;
	simTimerCancel(&t->timer);
	t->repeat = 0;
	simJSTimerForget(the, t);
}

/* Timer.delay(ms): blocks the whole VM, as on a device */
void xs_timer_delay(xsMachine* the)
{
	double ms = xsToNumber(xsArg(0));
	if (ms > 0)
		usleep((useconds_t)(ms * 1000));
}

static void xs_setTimeout(xsMachine* the)
{
	int argc = xsToInteger(xsArgc);
	simJSTimerNew(the, &xsArg(0), argc > 1 ? xsToNumber(xsArg(1)) : 0, 0, 0, 0);
}

static void xs_setInterval(xsMachine* the)
{
	int argc = xsToInteger(xsArgc);
	double interval = argc > 1 ? xsToNumber(xsArg(1)) : 0;
	simJSTimerNew(the, &xsArg(0), interval, interval, 1, 0);
}

void simTimerInstallGlobals(xsMachine* the)
{
	xsResult = xsNewHostFunction(xs_setTimeout, 2);
	xsDefine(xsGlobal, xsID("setTimeout"), xsResult, xsDontEnum);
	xsResult = xsNewHostFunction(xs_timer_clear, 1);
	xsDefine(xsGlobal, xsID("clearTimeout"), xsResult, xsDontEnum);
	xsResult = xsNewHostFunction(xs_setInterval, 2);
	xsDefine(xsGlobal, xsID("setInterval"), xsResult, xsDontEnum);
	xsResult = xsNewHostFunction(xs_timer_clear, 1);
	xsDefine(xsGlobal, xsID("clearInterval"), xsResult, xsDontEnum);
}
