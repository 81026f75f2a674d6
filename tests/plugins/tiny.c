/* The smallest complete Sluice plugin, in plain C and without the SDK's C++
 * layer: one stream `things` with three records. It shows the raw ABI of
 * sluice/plugin.h at work; real connectors use sdk.hpp instead. */
#include "broken_plugins.h"

static sluice_status tiny_spec(sluice_buffer* out, sluice_error* err) {
  (void)err;
  test_set_buffer(out, "{\"config_schema\": {\"type\": \"object\", \"properties\": {}}}");
  return SLUICE_OK;
}

static sluice_status tiny_discover(sluice_str config, const sluice_host_api* host, sluice_buffer* out,
                                   sluice_error* err) {
  (void)config;
  (void)host;
  (void)err;
  test_set_buffer(out,
                  "{\"streams\":[{\"name\":\"things\",\"namespace\":null,"
                  "\"json_schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
                  "\"label\":{\"type\":\"string\"}}},"
                  "\"supported_sync_modes\":[\"full_refresh_overwrite\"],"
                  "\"default_cursor_field\":[],\"primary_key\":[[\"id\"]]}]}");
  return SLUICE_OK;
}

static sluice_status tiny_read(sluice_str config, sluice_str catalog, sluice_str state,
                               const sluice_host_api* host, sluice_error* err) {
  static const char kRecords[] =
      "{\"id\":1,\"label\":\"one\"}\n{\"id\":2,\"label\":\"two\"}\n{\"id\":3,\"label\":\"three\"}\n";
  sluice_str ns = {"", 0};
  sluice_str stream = {"things", 6};
  sluice_str records = {kRecords, sizeof kRecords - 1};
  (void)config;
  (void)catalog;
  (void)state;
  /* The host fills *err when it refuses: hand its status straight back. */
  return host->emit_records(host->ctx, ns, stream, records, err);
}

static const sluice_plugin_info kInfo = {
    sizeof(sluice_plugin_info), SLUICE_PLUGIN_MAGIC, SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, 0, (uint16_t)sizeof(void*),
    "tiny", "1.0.0", "tests/plugins/tiny.c", SLUICE_MODE_FULL_REFRESH_OVERWRITE, SLUICE_NAMESPACE_NONE, "C"};

static const sluice_plugin_api kApi = {sizeof(sluice_plugin_api), SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, &kInfo,
                                       tiny_spec, test_check, tiny_discover, tiny_read,
                                       NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL}; /* no sessions: ABI 1.0 style calls */

SLUICE_EXPORT sluice_status sluice_plugin_entry_v1(uint16_t major, uint16_t minor, const sluice_plugin_api** out,
                                                   sluice_error* err) {
  (void)minor;
  if (major != SLUICE_ABI_MAJOR) {
    test_set_error(err, SLUICE_ERROR_KIND_CONFIG, "tiny speaks ABI major 1 only");
    return SLUICE_INCOMPATIBLE;
  }
  *out = &kApi;
  return SLUICE_OK;
}
