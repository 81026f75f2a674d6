#include "host/ingest/csv_ingest.hpp"

#include "host/ingest/event_batch.hpp"

#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <chrono>

namespace sluice::host {

namespace json = boost::json;

namespace {

std::vector<std::string> allowed_types(const json::value& property) {
  std::vector<std::string> out;
  const auto* object = property.if_object();
  const json::value* type = object ? object->if_contains("type") : nullptr;
  if (!type) return out;
  if (type->is_string()) out.emplace_back(type->get_string());
  if (const auto* list = type->if_array()) {
    for (const auto& item : *list) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

// The cell's text as the first non-string type of `types` that reads it,
// or the text itself.
json::value typed_cell(json::string_view text, const std::vector<std::string>* types) {
  if (!types || types->empty() || std::find(types->begin(), types->end(), "string") != types->end()) {
    return json::string(text);
  }
  for (const std::string& type : *types) {
    if (type == "boolean") {
      if (text == "true") return true;
      if (text == "false") return false;
      continue;
    }
    if (type != "integer" && type != "number" && type != "object" && type != "array") continue;
    json::error_code ec;
    json::value value = json::parse(std::string_view(text.data(), text.size()), ec);
    if (ec) continue;
    if (type == "integer" && (value.is_int64() || value.is_uint64())) return value;
    if (type == "number" && value.is_number()) return value;
    if (type == "object" && value.is_object()) return value;
    if (type == "array" && value.is_array()) return value;
  }
  return json::string(text);
}

// "$[3].units" -> "units"; "$[3]" -> "".
std::string field_of_path(const std::string& path) {
  const size_t close = path.find(']');
  if (close == std::string::npos || close + 1 >= path.size() || path[close + 1] != '.') return "";
  const size_t start = close + 2;
  const size_t end = path.find_first_of(".[", start);
  return path.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

json::object csv_report_json(const CsvIngestReport& report) {
  json::array errors;
  for (const auto& error : report.errors) {
    errors.push_back(json::object{
        {"line", error.line}, {"column", error.column}, {"field", error.field}, {"reason", error.reason}});
  }
  json::object out{{"rows", report.rows},
                   {"accepted", report.accepted},
                   {"duplicate", report.duplicate},
                   {"rejected", report.rejected},
                   {"errors", std::move(errors)},
                   {"errors_omitted", report.errors_omitted}};
  if (report.stopped) {
    out["stopped"] = json::object{
        {"line", report.stopped->line}, {"column", report.stopped->column}, {"reason", report.stopped->reason}};
  }
  return out;
}

CsvIngest::CsvIngest(const IngestStream& stream, IngestSession& session, const IngestTable& table,
                     CsvIngestOptions options, std::function<std::string()> new_request_id)
    : stream_(stream),
      session_(session),
      table_(table),
      options_(std::move(options)),
      new_request_id_(std::move(new_request_id)),
      reader_(
          options_.csv, [this](const CsvRow& row) { on_row(row); },
          [this](const CsvRowError& error) { on_error(error); }) {
  if (const auto* properties = stream_.schema.if_contains("properties"); properties && properties->is_object()) {
    for (const auto& [name, property] : properties->get_object()) types_[std::string(name)] = allowed_types(property);
  }
}

void CsvIngest::feed(std::string_view chunk) {
  try {
    reader_.feed(chunk);
  } catch (const BadCsv& e) {
    flush();
    stopped(e);
    throw;
  }
}

void CsvIngest::finish() {
  try {
    reader_.finish();
  } catch (const BadCsv& e) {
    flush();
    stopped(e);
    throw;
  }
  flush();
}

void CsvIngest::stopped(const BadCsv& e) {
  // what() is "line 12, column 3: reason": the place is in the report's fields.
  const std::string text = e.what();
  const size_t colon = text.find(": ");
  stopped(e.line(), e.column(), colon == std::string::npos ? text : text.substr(colon + 2));
}

void CsvIngest::stop(const std::string& reason) {
  flush();
  stopped(last_line_ + 1, 0, reason);
}

void CsvIngest::failed(const std::string& reason) {
  stopped(lines_.empty() ? last_line_ + 1 : lines_.front(), 0, reason);
}

void CsvIngest::stopped(std::uint64_t line, std::uint64_t column, const std::string& reason) {
  report_.stopped = CsvIngestError{line, column, "", reason};
}

void CsvIngest::on_row(const CsvRow& row) {
  ++report_.rows;
  last_line_ = row.line;
  // The reader's JSON, typed: strings by the schema, nulls left out.
  json::object cells = json::parse(row.json).as_object();
  json::object event;
  for (auto& [name, value] : cells) {
    if (value.is_null()) continue;
    auto types = types_.find(std::string_view(name));
    event[name] = typed_cell(value.get_string(), types == types_.end() ? nullptr : &types->second);
  }
  ndjson_ += json::serialize(event);
  ndjson_ += '\n';
  lines_.push_back(row.line);
  if (++batch_records_ >= options_.batch_rows) flush();
}

void CsvIngest::on_error(const CsvRowError& error) {
  ++report_.rows;
  ++report_.rejected;
  last_line_ = error.line;
  batch_errors_.push_back({error.line, error.column, error.field, error.reason});
  if (++batch_records_ >= options_.batch_rows) flush();
}

std::uint64_t CsvIngest::column_of(const std::string& field) const {
  const auto& fields = reader_.fields();
  const auto found = std::find(fields.begin(), fields.end(), field);
  return found == fields.end() ? 0 : static_cast<std::uint64_t>(found - fields.begin()) + 1;
}

void CsvIngest::add_error(CsvIngestError error) {
  if (report_.errors.size() < options_.max_errors) report_.errors.push_back(std::move(error));
  else ++report_.errors_omitted;
}

void CsvIngest::flush() {
  std::vector<CsvIngestError> errors = std::move(batch_errors_);
  batch_errors_.clear();
  if (!lines_.empty()) {
    const std::string request_id = new_request_id_();
    const support::Timestamp received{std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()};
    EventBatch batch = read_event_batch(ndjson_, stream_, table_, request_id, received, lines_.size());
    session_.write(table_, batch, request_id);
    ++report_.batches;
    for (size_t i = 0; i < batch.outcomes.size(); ++i) {
      const EventOutcome& outcome = batch.outcomes[i];
      if (outcome.status == EventStatus::accepted) ++report_.accepted;
      if (outcome.status == EventStatus::duplicate) ++report_.duplicate;
      if (outcome.status != EventStatus::rejected) continue;
      ++report_.rejected;
      for (const auto& problem : outcome.problems) {
        const std::string field = field_of_path(problem.path);
        errors.push_back({lines_[i], column_of(field), field, problem.message});
      }
    }
  }
  std::stable_sort(errors.begin(), errors.end(),
                   [](const CsvIngestError& a, const CsvIngestError& b) { return a.line < b.line; });
  for (auto& error : errors) add_error(std::move(error));
  ndjson_.clear();
  lines_.clear();
  batch_records_ = 0;
}

}  // namespace sluice::host
