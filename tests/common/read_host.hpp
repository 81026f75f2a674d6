// A host for a connector's read() in a test, in process: the sluice_host_api
// a ReadContext emits through, recording every emit in order ("records 2",
// "cells 3", "state {...}") with the records as NDJSON lines; a typed batch
// (ABI 1.4) is kept as its cells too, and its lines are the NDJSON the same
// records mean (the SDK's fallback text, sluice/detail/connector_impl.hpp).
// `as_host_minor(3)` presents a host older than ABI 1.4 (no
// emit_record_batch), so the SDK must send text.
#pragma once

#include <sluice/sdk.hpp>

#include <string>
#include <vector>

namespace sluice::test {

class ReadHost {
 public:
  ReadHost() {
    api_.struct_size = sizeof(api_);
    api_.abi_major = SLUICE_ABI_MAJOR;
    api_.abi_minor = SLUICE_ABI_MINOR;
    api_.ctx = this;
    api_.emit_records = [](void* ctx, sluice_str, sluice_str, sluice_str ndjson, sluice_error*) -> sluice_status {
      auto& self = *static_cast<ReadHost*>(ctx);
      const size_t before = self.lines.size();
      self.add_lines(std::string(ndjson.data, ndjson.size));
      self.events.push_back("records " + std::to_string(self.lines.size() - before));
      return self.answer;
    };
    api_.emit_record_batch = [](void* ctx, sluice_str, sluice_str, const sluice_record_batch* batch,
                                sluice_error*) -> sluice_status {
      auto& self = *static_cast<ReadHost*>(ctx);
      std::string ndjson;
      sluice::detail::append_typed_records(ndjson, *batch);
      self.add_lines(ndjson);
      self.events.push_back("cells " + std::to_string(batch->record_count));
      self.batches.push_back({});
      for (uint32_t f = 0; f < batch->field_count; ++f) {
        self.batches.back().fields.emplace_back(batch->fields[f].data, batch->fields[f].size);
      }
      self.batches.back().cells.assign(batch->cells, batch->cells + batch->record_count * batch->field_count);
      self.batches.back().text.assign(batch->text.data, batch->text.size);
      return self.answer;
    };
    api_.emit_state = [](void* ctx, sluice_str, sluice_str, sluice_str state, sluice_error*) -> sluice_status {
      static_cast<ReadHost*>(ctx)->events.push_back("state " + std::string(state.data, state.size));
      return SLUICE_OK;
    };
    api_.is_cancelled = [](void*) -> int32_t { return 0; };
  }
  ReadHost(const ReadHost&) = delete;

  // A host of ABI 1.`minor`: its table ends where that version's did.
  void as_host_minor(uint16_t minor) {
    api_.abi_minor = minor;
    if (minor < 4) api_.struct_size = offsetof(sluice_host_api, emit_record_batch);
  }
  const sluice_host_api* api() const { return &api_; }

  struct Batch {
    std::vector<std::string> fields;
    std::vector<sluice_cell> cells;
    std::string text;
  };
  std::vector<std::string> events;  // each emit, in order
  std::vector<std::string> lines;   // every record, as one line of JSON
  std::vector<Batch> batches;       // typed batches as they came
  sluice_status answer = SLUICE_OK; // what every record emit returns

 private:
  void add_lines(const std::string& ndjson) {
    size_t start = 0;
    while (start < ndjson.size()) {
      size_t end = ndjson.find('\n', start);
      if (end == std::string::npos) end = ndjson.size();
      lines.push_back(ndjson.substr(start, end - start));
      start = end + 1;
    }
  }
  sluice_host_api api_{};
};

}  // namespace sluice::test
