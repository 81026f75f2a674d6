#include "host/plugin/record_batch.hpp"

#include "host/plugin/plugin_error.hpp"

#include <sluice/connector.hpp>
#include <sluice/detail/rfc3339_format.hpp>

#include <cmath>
#include <limits>
#include <unordered_set>

namespace sluice::host {

namespace {

using support::detail::kEndMicros;
using support::detail::kFirstMicros;

[[noreturn]] void refuse(const std::string& message) {
  throw PluginError(ErrorKind::internal, "a typed record batch breaks plugin.h's contract: " + message);
}

// What is wrong with one cell, or nullptr.
const char* cell_problem(const sluice_cell& cell, size_t text_size) {
  switch (cell.kind) {
    case SLUICE_CELL_NULL:
    case SLUICE_CELL_INT64: return nullptr;
    case SLUICE_CELL_DOUBLE: return std::isfinite(cell.value.real) ? nullptr : "a DOUBLE cell is not finite";
    case SLUICE_CELL_BOOL:
      return cell.value.integer == 0 || cell.value.integer == 1 ? nullptr : "a BOOL cell is neither 0 nor 1";
    case SLUICE_CELL_TIMESTAMP:
      return cell.value.integer >= kFirstMicros && cell.value.integer < kEndMicros
                 ? nullptr
                 : "a TIMESTAMP cell is outside years 0001-9999";
    case SLUICE_CELL_STRING:
    case SLUICE_CELL_JSON:
      return cell.value.offset <= text_size && cell.size <= text_size - cell.value.offset
                 ? nullptr
                 : "a cell's text lies outside the batch's text";
    default: return "a cell has an unknown kind";
  }
}

}  // namespace

RecordBatchCopy copy_record_batch(const sluice_record_batch* batch) {
  if (!batch || !SLUICE_HAS_FIELD(sluice_record_batch, batch, text)) refuse("no batch, or one older than ABI 1.4");
  const size_t width = batch->field_count;
  if (width == 0 && batch->record_count > 0) refuse("records without fields");
  if (batch->record_count > std::numeric_limits<size_t>::max() / (width ? width : 1) / sizeof(sluice_cell)) {
    refuse("more records than memory holds");
  }
  const size_t cells = static_cast<size_t>(batch->record_count) * width;
  if ((width > 0 && !batch->fields) || (cells > 0 && !batch->cells) || (batch->text.size > 0 && !batch->text.data)) {
    refuse("an array is NULL although its count is not 0");
  }
  RecordBatchCopy copy;
  copy.records = static_cast<size_t>(batch->record_count);
  copy.fields.reserve(width);
  std::unordered_set<std::string_view> seen;
  for (size_t f = 0; f < width; ++f) {
    const sluice_str name = batch->fields[f];
    if (name.size > 0 && !name.data) refuse("field " + std::to_string(f + 1) + "'s name is NULL");
    copy.fields.emplace_back(name.data ? name.data : "", name.size);
    if (!seen.insert(std::string_view(name.data ? name.data : "", name.size)).second) {
      refuse("field " + copy.fields.back() + " is named twice");
    }
  }
  for (size_t i = 0; i < cells; ++i) {
    if (const char* problem = cell_problem(batch->cells[i], batch->text.size)) {
      refuse("record " + std::to_string(i / width + 1) + " of the batch, field " + copy.fields[i % width] + ": " +
             problem);
    }
  }
  copy.cells.assign(batch->cells, batch->cells + cells);
  copy.text.assign(batch->text.data ? batch->text.data : "", batch->text.size);
  return copy;
}

std::string records_as_ndjson(const RecordBatchCopy& batch) {
  std::vector<sluice_str> names;
  names.reserve(batch.fields.size());
  for (const std::string& name : batch.fields) names.push_back({name.data(), name.size()});
  sluice_record_batch view{};
  view.struct_size = sizeof(view);
  view.field_count = static_cast<uint32_t>(batch.fields.size());
  view.fields = names.data();
  view.record_count = batch.records;
  view.cells = batch.cells.data();
  view.text = {batch.text.data(), batch.text.size()};
  std::string ndjson;
  sluice::detail::append_typed_records(ndjson, view);
  return ndjson;
}

}  // namespace sluice::host
