/* A plugin table spoiled one way per build (see CMakeLists.txt):
 *   TEST_BAD_MAGIC     wrong magic number in the info block
 *   TEST_SPEC=<text>   what spec() returns (not JSON, not a schema, ...) */
#include "broken_plugins.h"

#ifndef TEST_PLUGIN_NAME
#define TEST_PLUGIN_NAME "broken"
#endif
#ifndef TEST_SPEC
#define TEST_SPEC "{\"config_schema\": {\"type\": \"object\"}}"
#endif
#ifdef TEST_BAD_MAGIC
#define TEST_MAGIC 0xDEADBEEFu
#else
#define TEST_MAGIC SLUICE_PLUGIN_MAGIC
#endif

static sluice_status test_spec(sluice_buffer* out, sluice_error* err) {
  (void)err;
  test_set_buffer(out, TEST_SPEC);
  return SLUICE_OK;
}

static const sluice_plugin_info kInfo = {
    sizeof(sluice_plugin_info), TEST_MAGIC, SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, 0, (uint16_t)sizeof(void*),
    TEST_PLUGIN_NAME, "0.0.1", "", SLUICE_MODE_FULL_REFRESH_OVERWRITE, SLUICE_NAMESPACE_NONE, "test"};

static const sluice_plugin_api kApi = {sizeof(sluice_plugin_api), SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, &kInfo,
                                       test_spec, test_check, test_discover, test_read,
                                       NULL, NULL, NULL, NULL, NULL}; /* no sessions */

SLUICE_EXPORT sluice_status sluice_plugin_entry_v1(uint16_t major, uint16_t minor, const sluice_plugin_api** out,
                                                   sluice_error* err) {
  (void)major;
  (void)minor;
  (void)err;
  *out = &kApi;
  return SLUICE_OK;
}
