/* A plugin built only against the frozen ABI 1.0 layouts (tests/abi): the
 * current host must still load and run it. Its table has the 1.0 size; the
 * host must treat any later fields as absent. */
#define _GNU_SOURCE /* memmem */
#include "abi/plugin_v1_0.h"

#include <stdlib.h>
#include <string.h>

static void release_buffer(v1_0_buffer* self) {
  free((void*)self->data);
  self->data = NULL;
  self->release = NULL;
}

static int32_t old_spec(v1_0_buffer* out, v1_0_error* err) {
  static const char kSpec[] = "{\"config_schema\": {\"type\": \"object\"}}";
  char* copy = (char*)malloc(sizeof kSpec);
  (void)err;
  memcpy(copy, kSpec, sizeof kSpec);
  out->data = copy;
  out->size = sizeof kSpec - 1;
  out->release = release_buffer;
  return 0;
}

static int32_t old_check(v1_0_str config, const v1_0_host_api* host, v1_0_error* err) {
  (void)config;
  (void)host;
  (void)err;
  return 0;
}

static v1_0_str literal(const char* text) {
  v1_0_str s;
  s.data = text;
  s.size = strlen(text);
  return s;
}

/* One stream, "items" {id, name}, readable full refresh or incrementally by id. */
static int32_t old_discover(v1_0_str config, const v1_0_host_api* host, v1_0_buffer* out, v1_0_error* err) {
  static const char kCatalog[] =
      "{\"streams\":[{\"name\":\"items\",\"namespace\":null,"
      "\"json_schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}},"
      "\"supported_sync_modes\":[\"full_refresh_overwrite\",\"incremental_append\"],"
      "\"default_cursor_field\":[\"id\"],\"primary_key\":[[\"id\"]]}]}";
  char* copy = (char*)malloc(sizeof kCatalog);
  (void)config;
  (void)err;
  memcpy(copy, kCatalog, sizeof kCatalog);
  out->data = copy;
  out->size = sizeof kCatalog - 1;
  out->release = release_buffer;
  host->log(host->ctx, 3, literal("old_minor: discover through the 1.0 per-call function"));
  return 0;
}

/* Emits three records and a checkpoint {"id": 3}; on a run that resumes from
 * that checkpoint it emits nothing. */
static int32_t old_read(v1_0_str config, v1_0_str catalog, v1_0_str state, const v1_0_host_api* host,
                        v1_0_error* err) {
  static const char kRecords[] = "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n{\"id\":3,\"name\":\"c\"}\n";
  v1_0_error host_err;
  int resumed = memmem(state.data, state.size, "{\"id\":3}", 8) != NULL;
  (void)config;
  (void)catalog;
  (void)err;
  memset(&host_err, 0, sizeof host_err);
  host_err.struct_size = sizeof host_err;
  if (!resumed) {
    int32_t status = host->emit_records(host->ctx, literal(""), literal("items"), literal(kRecords), &host_err);
    if (status != 0) {
      if (host_err.release) host_err.release(&host_err);
      return status;
    }
  }
  {
    int32_t status = host->emit_state(host->ctx, literal(""), literal("items"), literal("{\"id\":3}"), &host_err);
    if (status != 0 && host_err.release) host_err.release(&host_err);
    return status;
  }
}

static const v1_0_plugin_info kInfo = {sizeof(v1_0_plugin_info), 0x31434C53u, 1, 0, 0, (uint16_t)sizeof(void*),
                                       "old_minor", "1.0.0", "", 1u | 4u, 0, "frozen 1.0 layout"};
static const v1_0_plugin_api kApi = {sizeof(v1_0_plugin_api), 1, 0, &kInfo, old_spec, old_check, old_discover,
                                     old_read};

__attribute__((visibility("default"))) int32_t sluice_plugin_entry_v1(uint16_t major, uint16_t minor,
                                                                     const v1_0_plugin_api** out, v1_0_error* err);
int32_t sluice_plugin_entry_v1(uint16_t major, uint16_t minor, const v1_0_plugin_api** out, v1_0_error* err) {
  (void)major;
  (void)minor;
  (void)err;
  *out = &kApi;
  return 0;
}
