/* FROZEN: the plugin ABI 1.0 layouts, copied from sluice/plugin.h when 1.0
 * shipped, under other names. Never edit this file: it is the reference that
 * proves later headers only append (abi_layout_test.cpp) and that a plugin
 * built against 1.0 still loads (old_minor.c). */
#ifndef SLUICE_PLUGIN_V1_0_H_
#define SLUICE_PLUGIN_V1_0_H_

#include <stddef.h>
#include <stdint.h>

typedef struct v1_0_error {
  uint32_t struct_size;
  int32_t kind;
  char* message;
  void (*release)(struct v1_0_error* self);
  void* private_data;
} v1_0_error;

typedef struct v1_0_str {
  const char* data;
  size_t size;
} v1_0_str;

typedef struct v1_0_buffer {
  const char* data;
  size_t size;
  void (*release)(struct v1_0_buffer* self);
  void* private_data;
} v1_0_buffer;

typedef struct v1_0_plugin_info {
  uint32_t struct_size;
  uint32_t magic;
  uint16_t abi_major;
  uint16_t abi_minor;
  uint16_t min_host_minor;
  uint16_t pointer_size;
  const char* name;
  const char* version;
  const char* documentation_url;
  uint32_t sync_modes;
  int32_t namespace_support;
  const char* build_note;
} v1_0_plugin_info;

typedef struct v1_0_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void* ctx;
  int32_t (*emit_records)(void* ctx, v1_0_str ns, v1_0_str stream, v1_0_str ndjson, v1_0_error* err);
  int32_t (*emit_state)(void* ctx, v1_0_str ns, v1_0_str stream, v1_0_str state_json, v1_0_error* err);
  void (*log)(void* ctx, int32_t level, v1_0_str message);
  void (*progress)(void* ctx, v1_0_str ns, v1_0_str stream, int64_t done, int64_t total);
  int32_t (*is_cancelled)(void* ctx);
} v1_0_host_api;

typedef struct v1_0_plugin_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const v1_0_plugin_info* info;
  int32_t (*spec)(v1_0_buffer* out, v1_0_error* err);
  int32_t (*check)(v1_0_str config_json, const v1_0_host_api* host, v1_0_error* err);
  int32_t (*discover)(v1_0_str config_json, const v1_0_host_api* host, v1_0_buffer* out, v1_0_error* err);
  int32_t (*read)(v1_0_str config_json, v1_0_str configured_catalog_json, v1_0_str state_json,
                  const v1_0_host_api* host, v1_0_error* err);
} v1_0_plugin_api;

#endif
