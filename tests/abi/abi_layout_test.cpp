// The current plugin.h must begin with exactly the frozen 1.0 layouts: every
// 1.0 field at the same offset with the same size. A change that reorders,
// resizes or removes a field fails here at compile time.
#include "abi/plugin_v1_0.h"

#include <sluice/plugin.h>

#include <catch2/catch.hpp>

#define SAME_FIELD(now, old, field)                                     \
  static_assert(offsetof(now, field) == offsetof(old, field), #field); \
  static_assert(sizeof(now::field) == sizeof(old::field), #field)

SAME_FIELD(sluice_error, v1_0_error, struct_size);
SAME_FIELD(sluice_error, v1_0_error, kind);
SAME_FIELD(sluice_error, v1_0_error, message);
SAME_FIELD(sluice_error, v1_0_error, release);
SAME_FIELD(sluice_error, v1_0_error, private_data);
SAME_FIELD(sluice_str, v1_0_str, data);
SAME_FIELD(sluice_str, v1_0_str, size);
SAME_FIELD(sluice_buffer, v1_0_buffer, data);
SAME_FIELD(sluice_buffer, v1_0_buffer, size);
SAME_FIELD(sluice_buffer, v1_0_buffer, release);
SAME_FIELD(sluice_buffer, v1_0_buffer, private_data);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, struct_size);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, magic);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, abi_major);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, abi_minor);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, min_host_minor);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, pointer_size);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, name);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, version);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, documentation_url);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, sync_modes);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, namespace_support);
SAME_FIELD(sluice_plugin_info, v1_0_plugin_info, build_note);
SAME_FIELD(sluice_host_api, v1_0_host_api, struct_size);
SAME_FIELD(sluice_host_api, v1_0_host_api, abi_major);
SAME_FIELD(sluice_host_api, v1_0_host_api, abi_minor);
SAME_FIELD(sluice_host_api, v1_0_host_api, ctx);
SAME_FIELD(sluice_host_api, v1_0_host_api, emit_records);
SAME_FIELD(sluice_host_api, v1_0_host_api, emit_state);
SAME_FIELD(sluice_host_api, v1_0_host_api, log);
SAME_FIELD(sluice_host_api, v1_0_host_api, progress);
SAME_FIELD(sluice_host_api, v1_0_host_api, is_cancelled);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, struct_size);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, abi_major);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, abi_minor);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, info);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, spec);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, check);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, discover);
SAME_FIELD(sluice_plugin_api, v1_0_plugin_api, read);

TEST_CASE("ABI 1.x tables start with the frozen 1.0 layouts, and SLUICE_HAS_FIELD reads sizes") {
  CHECK(sizeof(sluice_plugin_api) >= sizeof(v1_0_plugin_api));
  CHECK(sizeof(sluice_host_api) >= sizeof(v1_0_host_api));
  sluice_plugin_api table{};
  table.struct_size = sizeof(v1_0_plugin_api);
  CHECK(SLUICE_HAS_FIELD(sluice_plugin_api, &table, read));
  table.struct_size = offsetof(sluice_plugin_api, read);
  CHECK_FALSE(SLUICE_HAS_FIELD(sluice_plugin_api, &table, read));
}

TEST_CASE("ABI 1.2 appends concurrent_sessions after the 1.1 session functions, and a 1.1 table lacks it") {
  static_assert(offsetof(sluice_plugin_api, concurrent_sessions) > offsetof(sluice_plugin_api, session_read));
  sluice_plugin_api table{};
  table.struct_size = offsetof(sluice_plugin_api, session_read) + sizeof(table.session_read);  // a 1.1 table
  CHECK(SLUICE_HAS_FIELD(sluice_plugin_api, &table, session_read));
  CHECK_FALSE(SLUICE_HAS_FIELD(sluice_plugin_api, &table, concurrent_sessions));
  table.struct_size = sizeof(sluice_plugin_api);
  CHECK(SLUICE_HAS_FIELD(sluice_plugin_api, &table, concurrent_sessions));
}

TEST_CASE("ABI 1.3 appends query in place after concurrent_sessions, and the host table's result callbacks after is_cancelled") {
  static_assert(offsetof(sluice_plugin_api, query_dialect) > offsetof(sluice_plugin_api, concurrent_sessions));
  static_assert(offsetof(sluice_plugin_api, session_query) > offsetof(sluice_plugin_api, query_dialect));
  static_assert(offsetof(sluice_host_api, emit_columns) > offsetof(sluice_host_api, is_cancelled));
  static_assert(offsetof(sluice_host_api, emit_rows) > offsetof(sluice_host_api, emit_columns));
  sluice_plugin_api table{};
  table.struct_size = offsetof(sluice_plugin_api, concurrent_sessions) + sizeof(table.concurrent_sessions);  // 1.2
  CHECK_FALSE(SLUICE_HAS_FIELD(sluice_plugin_api, &table, query_dialect));
  table.struct_size = sizeof(sluice_plugin_api);
  CHECK(SLUICE_HAS_FIELD(sluice_plugin_api, &table, session_query));
  sluice_host_api host{};
  host.struct_size = offsetof(sluice_host_api, is_cancelled) + sizeof(host.is_cancelled);  // a 1.2 host
  CHECK_FALSE(SLUICE_HAS_FIELD(sluice_host_api, &host, emit_columns));
}

// ABI 1.4's typed records: the cell and batch layouts are frozen here, as
// 1.0's are above (a plugin built against 1.4 hands them over as they are).
static_assert(sizeof(sluice_cell) == 16 && alignof(sluice_cell) == 8);
static_assert(offsetof(sluice_cell, kind) == 0 && offsetof(sluice_cell, size) == 4 && offsetof(sluice_cell, value) == 8);
static_assert(sizeof(sluice_cell_kind) == 4);
static_assert(SLUICE_CELL_NULL == 0 && SLUICE_CELL_INT64 == 1 && SLUICE_CELL_DOUBLE == 2 && SLUICE_CELL_BOOL == 3 &&
              SLUICE_CELL_STRING == 4 && SLUICE_CELL_TIMESTAMP == 5 && SLUICE_CELL_JSON == 6);
static_assert(offsetof(sluice_record_batch, struct_size) == 0 && offsetof(sluice_record_batch, field_count) == 4 &&
              offsetof(sluice_record_batch, fields) == 8 && offsetof(sluice_record_batch, record_count) == 16 &&
              offsetof(sluice_record_batch, cells) == 24 && offsetof(sluice_record_batch, text) == 32 &&
              sizeof(sluice_record_batch) == 48);

TEST_CASE("ABI 1.4 appends emit_record_batch to the host table after the 1.3 result callbacks, and a 1.3 host lacks it") {
  static_assert(offsetof(sluice_host_api, emit_record_batch) > offsetof(sluice_host_api, emit_rows));
  sluice_host_api host{};
  host.struct_size = offsetof(sluice_host_api, emit_rows) + sizeof(host.emit_rows);  // a 1.3 host
  CHECK(SLUICE_HAS_FIELD(sluice_host_api, &host, emit_rows));
  CHECK_FALSE(SLUICE_HAS_FIELD(sluice_host_api, &host, emit_record_batch));
  host.struct_size = sizeof(sluice_host_api);
  CHECK(SLUICE_HAS_FIELD(sluice_host_api, &host, emit_record_batch));
}
