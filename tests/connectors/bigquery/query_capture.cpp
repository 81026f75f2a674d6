#include "query_capture.hpp"

#include <algorithm>

namespace bigquery_test {

QueryCapture::QueryCapture() {
  host.struct_size = sizeof host;
  host.abi_major = SLUICE_ABI_MAJOR;
  host.abi_minor = SLUICE_ABI_MINOR;
  host.ctx = this;
  host.log = [](void* ctx, int32_t, sluice_str message) {
    static_cast<QueryCapture*>(ctx)->lines.emplace_back(message.data, message.size);
  };
  host.is_cancelled = [](void* ctx) -> int32_t {
    auto* self = static_cast<QueryCapture*>(ctx);
    return self->cancelled && self->cancelled() ? 1 : 0;
  };
  host.emit_columns = [](void* ctx, sluice_str text, sluice_error*) -> sluice_status {
    static_cast<QueryCapture*>(ctx)->columns.assign(text.data, text.size);
    return SLUICE_OK;
  };
  host.emit_rows = [](void* ctx, sluice_str ndjson, sluice_error*) -> sluice_status {
    auto* self = static_cast<QueryCapture*>(ctx);
    if (self->refuse_batch > 0 && self->batches + 1 >= self->refuse_batch) return SLUICE_CANCELLED;
    ++self->batches;
    self->largest_batch = std::max(self->largest_batch, ndjson.size);
    std::string_view text(ndjson.data, ndjson.size);
    for (size_t start = 0; start < text.size();) {
      const size_t end = text.find('\n', start);
      if (self->keep_rows) self->rows.emplace_back(text.substr(start, end - start));
      ++self->row_count;
      start = end == std::string_view::npos ? text.size() : end + 1;
    }
    return SLUICE_OK;
  };
}

std::string QueryCapture::log() const {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

bigquery::Settings direct_settings(const BigQueryFixture& f) {
  bigquery::Settings settings;
  settings.project_id = kProject;
  settings.credentials_json = f.key_json;
  settings.endpoint.base_url = f.server->base_url();
  settings.endpoint.ca_file = f.server->ca_file();
  settings.max_bytes_billed = int64_t(10) << 30;
  return settings;
}

bigquery::WaitClock FakeClock::clock() {
  return {[this] { return now; },
          [this](std::chrono::milliseconds d) {
            now += d;
            slept += d;
          }};
}

}  // namespace bigquery_test
