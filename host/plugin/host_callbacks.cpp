#include "host/plugin/host_callbacks.hpp"

#include "host/plugin/plugin_error.hpp"
#include "host/plugin/record_batch.hpp"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

namespace sluice::host {

namespace {

std::string_view view(sluice_str s) { return {s.data ? s.data : "", s.size}; }

HostCallbacks& self(void* ctx) { return *static_cast<HostCallbacks*>(ctx); }

// The message is allocated here and freed by our own release: the plugin
// only reads it and calls release, as plugin.h requires.
void fill_error(sluice_error* err, sluice_error_kind kind, const std::string& message) {
  if (!err) return;
  char* copy = static_cast<char*>(std::malloc(message.size() + 1));
  if (copy) std::memcpy(copy, message.c_str(), message.size() + 1);
  err->kind = kind;
  err->message = copy;
  err->release = [](sluice_error* e) {
    std::free(e->message);
    e->message = nullptr;
    e->release = nullptr;
  };
}

template <typename Body>
sluice_status guarded(sluice_error* err, Body&& body) noexcept {
  try {
    body();
    return SLUICE_OK;
  } catch (const RunCancelled&) {
    fill_error(err, SLUICE_ERROR_KIND_UNKNOWN, "the run was cancelled");
    return SLUICE_CANCELLED;
  } catch (const PluginError& e) {
    fill_error(err, static_cast<sluice_error_kind>(e.kind()), e.what());
  } catch (const std::exception& e) {
    fill_error(err, SLUICE_ERROR_KIND_INTERNAL, e.what());
  } catch (...) {
    fill_error(err, SLUICE_ERROR_KIND_INTERNAL, "unknown host error");
  }
  return SLUICE_ERROR;
}

sluice_status emit_records(void* ctx, sluice_str ns, sluice_str stream, sluice_str ndjson,
                           sluice_error* err) {
  return guarded(err, [&] { self(ctx).records(view(ns), view(stream), view(ndjson)); });
}

sluice_status emit_record_batch(void* ctx, sluice_str ns, sluice_str stream, const sluice_record_batch* batch,
                                sluice_error* err) {
  return guarded(err, [&] { self(ctx).record_batch(view(ns), view(stream), batch); });
}

sluice_status emit_state(void* ctx, sluice_str ns, sluice_str stream, sluice_str state,
                         sluice_error* err) {
  return guarded(err, [&] { self(ctx).state(view(ns), view(stream), view(state)); });
}

void log(void* ctx, int32_t level, sluice_str message) {
  try {
    self(ctx).log(level, view(message));
  } catch (...) {
    // A failing log sink must not take the plugin down.
  }
}

void progress(void* ctx, sluice_str ns, sluice_str stream, int64_t done, int64_t total) {
  try {
    self(ctx).progress(view(ns), view(stream), done, total);
  } catch (...) {
  }
}

sluice_status emit_columns(void* ctx, sluice_str columns, sluice_error* err) {
  return guarded(err, [&] { self(ctx).columns(view(columns)); });
}

sluice_status emit_rows(void* ctx, sluice_str rows, sluice_error* err) {
  return guarded(err, [&] { self(ctx).rows(view(rows)); });
}

int32_t is_cancelled(void* ctx) {
  try {
    return self(ctx).cancelled() ? 1 : 0;
  } catch (...) {
    return 1;
  }
}

}  // namespace

sluice_host_api make_host_api(HostCallbacks& callbacks, bool query) {
  sluice_host_api api{};
  api.struct_size = sizeof(api);
  api.abi_major = SLUICE_ABI_MAJOR;
  api.abi_minor = SLUICE_ABI_MINOR;
  api.ctx = &callbacks;
  api.emit_records = &emit_records;
  api.emit_state = &emit_state;
  api.log = &log;
  api.progress = &progress;
  api.is_cancelled = &is_cancelled;
  api.emit_record_batch = &emit_record_batch;
  if (query) {
    api.emit_columns = &emit_columns;
    api.emit_rows = &emit_rows;
  }
  return api;
}

void HostCallbacks::record_batch(std::string_view ns, std::string_view stream, const sluice_record_batch* batch) {
  records(ns, stream, records_as_ndjson(copy_record_batch(batch)));
}

void HostCallbacks::columns(std::string_view) {
  throw PluginError(ErrorKind::internal, "result columns may only be emitted inside a query");
}

void HostCallbacks::rows(std::string_view) {
  throw PluginError(ErrorKind::internal, "result rows may only be emitted inside a query");
}

void LogOnlyCallbacks::records(std::string_view, std::string_view, std::string_view) {
  throw PluginError(ErrorKind::internal, "records may only be emitted from read()");
}

void LogOnlyCallbacks::state(std::string_view, std::string_view, std::string_view) {
  throw PluginError(ErrorKind::internal, "state may only be emitted from read()");
}

}  // namespace sluice::host
