/* The entry succeeds but hands back no table. */
#include <sluice/plugin.h>

SLUICE_EXPORT sluice_status sluice_plugin_entry_v1(uint16_t major, uint16_t minor, const sluice_plugin_api** out,
                                                   sluice_error* err) {
  (void)major;
  (void)minor;
  (void)err;
  *out = NULL;
  return SLUICE_OK;
}
