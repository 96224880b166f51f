// Moddable's declarations an app's code and xsnet's declarations rely on (trace, timer, modules, TextDecoder/Encoder,
// ECMA-419's common types), found by Node's module resolution wherever npm put @moddable/typings.
// Used by tsconfig.app.json (an app's tsconfig extends it).
/// <reference types="@moddable/typings/xs" />
/// <reference types="@moddable/typings/timer" />
/// <reference types="@moddable/typings/modules" />
/// <reference types="@moddable/typings/text/decoder" />
/// <reference types="@moddable/typings/text/encoder" />
/// <reference types="@moddable/typings/embedded_io/_common" />
