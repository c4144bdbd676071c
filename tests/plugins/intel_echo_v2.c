/* intel_echo_v2.c — the same test plugin as intel_echo.c, built as version 2.0.0 (hot swap). */
#define ECHO_VERSION "2.0.0"
#include "intel_echo.c"
