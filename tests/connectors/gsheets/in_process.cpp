#include "in_process.hpp"

namespace gsheets_test {

HostCapture::HostCapture() {
  host.struct_size = sizeof host;
  host.abi_major = SLUICE_ABI_MAJOR;
  host.abi_minor = SLUICE_ABI_MINOR;
  host.ctx = this;
  host.log = [](void* ctx, int32_t, sluice_str message) {
    static_cast<HostCapture*>(ctx)->lines.emplace_back(message.data, message.size);
  };
  host.emit_records = [](void* ctx, sluice_str, sluice_str, sluice_str ndjson, sluice_error*) -> sluice_status {
    static_cast<HostCapture*>(ctx)->records.emplace_back(ndjson.data, ndjson.size);
    return SLUICE_OK;
  };
  host.emit_state = [](void* ctx, sluice_str, sluice_str, sluice_str state, sluice_error*) -> sluice_status {
    static_cast<HostCapture*>(ctx)->states.emplace_back(state.data, state.size);
    return SLUICE_OK;
  };
}

std::string HostCapture::log() const {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

gsheets::Settings direct_settings(const SheetsFixture& f, const std::string& key_json) {
  gsheets::Settings settings;
  settings.spreadsheet_id = kSpreadsheetId;
  settings.service_account_json = key_json;
  settings.endpoint.base_url = f.server->base_url();
  settings.endpoint.ca_file = f.server->ca_file();
  settings.retry_attempts = 1;
  settings.retry_backoff = std::chrono::milliseconds(0);
  return settings;
}

}  // namespace gsheets_test
