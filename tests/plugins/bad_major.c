/* Exports only the entry of a future ABI major: the host must reject it
 * before loading it ("built for major version 2"). */
#include <sluice/plugin.h>

SLUICE_EXPORT int sluice_plugin_entry_v2(void) { return 0; }
