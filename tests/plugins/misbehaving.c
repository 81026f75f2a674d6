/* A plain C plugin that works, except for the one call its config names,
 * where it dies the way its config says instead of returning:
 *   {"in": "check" | "discover" | "read", "do": "segfault" | "abort" | "exit"}
 * ("exit" is exit(0): it must never look like success). Its one stream is
 * usage_events. The host's last-words line is what the tests look at. */
#include "broken_plugins.h"

static int* volatile g_nowhere = NULL; /* volatile: a real SIGSEGV, not UB the compiler sees */

/* The host hands the config over serialised without spaces. */
static int has(sluice_str config, const char* needle) {
  size_t size = strlen(needle);
  for (size_t i = 0; i + size <= config.size; ++i) {
    if (memcmp(config.data + i, needle, size) == 0) return 1;
  }
  return 0;
}

static void misbehave_if(sluice_str config, const char* call) {
  char in[64];
  size_t size = strlen(call);
  memcpy(in, "\"in\":\"", 6);
  memcpy(in + 6, call, size);
  memcpy(in + 6 + size, "\"", 2);
  if (!has(config, in)) return;
  if (has(config, "\"do\":\"segfault\"")) *g_nowhere = 1;
  if (has(config, "\"do\":\"abort\"")) abort();
  if (has(config, "\"do\":\"exit\"")) exit(0);
}

static sluice_status misbehaving_spec(sluice_buffer* out, sluice_error* err) {
  (void)err;
  test_set_buffer(out,
                  "{\"config_schema\": {\"type\": \"object\", \"required\": [\"in\", \"do\"], \"properties\": {"
                  "\"in\": {\"type\": \"string\", \"enum\": [\"check\", \"discover\", \"read\"]},"
                  "\"do\": {\"type\": \"string\", \"enum\": [\"segfault\", \"abort\", \"exit\"]}}}}");
  return SLUICE_OK;
}

static sluice_status misbehaving_check(sluice_str config, const sluice_host_api* host, sluice_error* err) {
  (void)host;
  (void)err;
  misbehave_if(config, "check");
  return SLUICE_OK;
}

static sluice_status misbehaving_discover(sluice_str config, const sluice_host_api* host, sluice_buffer* out,
                                          sluice_error* err) {
  (void)host;
  (void)err;
  misbehave_if(config, "discover");
  test_set_buffer(out,
                  "{\"streams\":[{\"name\":\"usage_events\",\"namespace\":null,"
                  "\"json_schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}},"
                  "\"supported_sync_modes\":[\"full_refresh_overwrite\"],"
                  "\"default_cursor_field\":[],\"primary_key\":[[\"id\"]]}]}");
  return SLUICE_OK;
}

static sluice_status misbehaving_read(sluice_str config, sluice_str catalog, sluice_str state,
                                      const sluice_host_api* host, sluice_error* err) {
  static const char kRecords[] = "{\"id\":1}\n{\"id\":2}\n";
  sluice_str ns = {"", 0};
  sluice_str stream = {"usage_events", 12};
  sluice_str records = {kRecords, sizeof kRecords - 1};
  sluice_status status;
  (void)catalog;
  (void)state;
  /* Records first: what the plugin emitted before dying must not be kept. */
  status = host->emit_records(host->ctx, ns, stream, records, err);
  if (status != SLUICE_OK) return status;
  misbehave_if(config, "read");
  return SLUICE_OK;
}

static const sluice_plugin_info kInfo = {
    sizeof(sluice_plugin_info), SLUICE_PLUGIN_MAGIC, SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, 0, (uint16_t)sizeof(void*),
    "misbehaving", "0.0.1", "tests/plugins/misbehaving.c", SLUICE_MODE_FULL_REFRESH_OVERWRITE,
    SLUICE_NAMESPACE_NONE, "C"};

static const sluice_plugin_api kApi = {sizeof(sluice_plugin_api), SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, &kInfo,
                                       misbehaving_spec, misbehaving_check, misbehaving_discover,
                                       misbehaving_read, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL};

TEST_PLUGIN_ENTRY(kApi)
