/* The plugin itself refuses this host. */
#include "broken_plugins.h"

SLUICE_EXPORT sluice_status sluice_plugin_entry_v1(uint16_t major, uint16_t minor, const sluice_plugin_api** out,
                                                   sluice_error* err) {
  (void)major;
  (void)minor;
  (void)out;
  test_set_error(err, SLUICE_ERROR_KIND_CONFIG, "requires host ABI minor 9");
  return SLUICE_INCOMPATIBLE;
}
