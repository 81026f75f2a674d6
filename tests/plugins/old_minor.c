/* A plugin built only against the frozen ABI 1.0 layouts (tests/abi): the
 * current host must still load and run it. Its table has the 1.0 size; the
 * host must treat any later fields as absent. */
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

static int32_t old_discover(v1_0_str config, const v1_0_host_api* host, v1_0_buffer* out, v1_0_error* err) {
  static const char kCatalog[] = "{\"streams\":[]}";
  char* copy = (char*)malloc(sizeof kCatalog);
  (void)config;
  (void)host;
  (void)err;
  memcpy(copy, kCatalog, sizeof kCatalog);
  out->data = copy;
  out->size = sizeof kCatalog - 1;
  out->release = release_buffer;
  return 0;
}

static int32_t old_read(v1_0_str config, v1_0_str catalog, v1_0_str state, const v1_0_host_api* host,
                        v1_0_error* err) {
  (void)config;
  (void)catalog;
  (void)state;
  (void)host;
  (void)err;
  return 0;
}

static const v1_0_plugin_info kInfo = {sizeof(v1_0_plugin_info), 0x31434C53u, 1, 0, 0, (uint16_t)sizeof(void*),
                                       "old_minor", "1.0.0", "", 1u, 0, "frozen 1.0 layout"};
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
