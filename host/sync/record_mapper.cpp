#include "host/sync/record_mapper.hpp"

#include "host/sync/number_literals.hpp"

#include <sluice/support/json_elements.hpp>
#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace sluice::host {

namespace json = boost::json;

namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

uint32_t append_text(RowBatch& batch, std::string_view text, uint32_t& size) {
  if (batch.arena.size() + text.size() > std::numeric_limits<uint32_t>::max()) {
    throw BadRecord("a single batch holds more than 4 GiB of text; emit smaller batches");
  }
  auto offset = static_cast<uint32_t>(batch.arena.size());
  batch.arena.append(text);
  size = static_cast<uint32_t>(text.size());
  return offset;
}

void set_text(RowBatch& batch, Cell& cell, std::string_view text) {
  cell.kind = Cell::Kind::text;
  cell.text_offset = append_text(batch, text, cell.text_size);
}

// A number as a person writes it: "3.5", not Boost.JSON's "3.5E0".
std::string number_text(const json::value& value) {
  char text[64];
  std::to_chars_result result{};
  if (value.is_int64()) result = std::to_chars(text, text + sizeof text, value.get_int64());
  else if (value.is_uint64()) result = std::to_chars(text, text + sizeof text, value.get_uint64());
  else result = std::to_chars(text, text + sizeof text, value.get_double());
  return std::string(text, result.ptr);
}

bool parse_integer(std::string_view text, int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool parse_real(std::string_view text, double& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty() && std::isfinite(out);
}

// JSON text as Boost.JSON writes it, except numbers, which are written as
// a person (and the plugin) writes them: -122.35, not Boost's -1.2235E2.
// std::to_chars gives the shortest text that reads back as the same double,
// so the value is unchanged.
void append_json(std::string& out, const json::value& value);

using support::append_json_string;

void append_json(std::string& out, const json::object& object) {
  out += '{';
  bool first = true;
  for (const auto& field : object) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, field.key());
    out += ':';
    append_json(out, field.value());
  }
  out += '}';
}

void append_json(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::object: append_json(out, value.get_object()); return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, element);
      }
      out += ']';
      return;
    }
    case json::kind::string: append_json_string(out, value.get_string()); return;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: out += number_text(value); return;
    case json::kind::bool_: out += value.get_bool() ? "true" : "false"; return;
    case json::kind::null: out += "null"; return;
  }
}

// The record's JSON for a value, with inexact number literals restored.
template <typename Json>
std::string serialize_exact(const Json& value, bool marked) {
  std::string text;
  append_json(text, value);
  if (marked) unmark_numbers(text);
  return text;
}

// set_text(serialize_exact(value)), written straight into the arena.
template <typename Json>
void set_json(RowBatch& batch, Cell& cell, const Json& value, bool marked) {
  if (marked) {
    set_text(batch, cell, serialize_exact(value, marked));
    return;
  }
  const size_t start = batch.arena.size();
  append_json(batch.arena, value);
  if (batch.arena.size() > std::numeric_limits<uint32_t>::max()) {
    throw BadRecord("a single batch holds more than 4 GiB of text; emit smaller batches");
  }
  cell.kind = Cell::Kind::text;
  cell.text_offset = static_cast<uint32_t>(start);
  cell.text_size = static_cast<uint32_t>(batch.arena.size() - start);
}

// Converts `value` for a column of `type`. Returns false when it does not
// fit. `marked`: the record went through mark_inexact_numbers().
bool convert(const json::value& value, ColumnType type, RowBatch& batch, Cell& cell, bool marked) {
  if (marked && value.is_string()) {
    if (auto literal = marked_number(value.get_string())) {
      // A number no column type holds exactly: text keeps its digits, JSON
      // keeps the number, anything else sends it to _sluice_uncast.
      if (type == ColumnType::text || type == ColumnType::json) {
        set_text(batch, cell, *literal);
        return true;
      }
      return false;
    }
  }
  switch (type) {
    case ColumnType::integer:
      if (value.is_int64()) {
        cell.kind = Cell::Kind::integer;
        cell.integer = value.get_int64();
        return true;
      }
      if (value.is_uint64()) {
        if (value.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
        cell.kind = Cell::Kind::integer;
        cell.integer = static_cast<int64_t>(value.get_uint64());
        return true;
      }
      if (value.is_double()) {
        double d = value.get_double();
        if (std::trunc(d) != d || std::fabs(d) > kMaxExactInteger) return false;
        cell.kind = Cell::Kind::integer;
        cell.integer = static_cast<int64_t>(d);
        return true;
      }
      if (value.is_string()) {  // BigQuery and others send INT64 as strings
        int64_t parsed;
        if (!parse_integer(value.get_string(), parsed)) return false;
        cell.kind = Cell::Kind::integer;
        cell.integer = parsed;
        return true;
      }
      return false;
    case ColumnType::number:
      if (value.is_double()) {
        if (!std::isfinite(value.get_double())) return false;
        cell.kind = Cell::Kind::real;
        cell.real = value.get_double();
        return true;
      }
      if (value.is_int64() || value.is_uint64()) {
        double d = value.to_number<double>();
        if (std::fabs(d) > kMaxExactInteger) return false;  // would lose digits
        cell.kind = Cell::Kind::real;
        cell.real = d;
        return true;
      }
      if (value.is_string()) {
        double parsed;
        if (!parse_real(value.get_string(), parsed)) return false;
        cell.kind = Cell::Kind::real;
        cell.real = parsed;
        return true;
      }
      return false;
    case ColumnType::boolean:
      if (value.is_bool()) {
        cell.kind = Cell::Kind::integer;
        cell.integer = value.get_bool() ? 1 : 0;
        return true;
      }
      if (value.is_string() && (value.get_string() == "true" || value.get_string() == "false")) {
        cell.kind = Cell::Kind::integer;
        cell.integer = value.get_string() == "true" ? 1 : 0;
        return true;
      }
      return false;
    case ColumnType::timestamp: {
      // Decided once: the UTC instant. Writers encode it (SQLite as its
      // canonical text, whose order is time order), so "newest cursor wins"
      // compares instants on every engine.
      if (!value.is_string()) return false;
      const auto instant = support::parse_rfc3339(value.get_string());
      if (!instant) return false;
      cell.kind = Cell::Kind::timestamp;
      cell.integer = instant->micros;
      return true;
    }
    case ColumnType::date:
      if (!value.is_string() || !support::parse_date(value.get_string())) return false;
      set_text(batch, cell, value.get_string());
      return true;
    case ColumnType::text:
      if (value.is_string()) {
        set_text(batch, cell, value.get_string());
      } else if (value.is_number()) {
        set_text(batch, cell, number_text(value));  // shortest round-trip form: lossless
      } else {
        set_json(batch, cell, value, marked);
      }
      return true;
    case ColumnType::json:
      set_json(batch, cell, value, marked);
      return true;
  }
  return false;
}

}  // namespace

RecordMapper::RecordMapper(const std::vector<ColumnDef>& columns, std::string sync_id)
    : columns_(columns),
      data_width_(columns.size() - metadata_columns().size()),
      sync_id_(std::move(sync_id)),
      record_memory_(64 * 1024) {
  for (size_t i = 0; i < data_width_; ++i) index_.emplace(columns_[i].source_name, i);
}

size_t RecordMapper::column_of(std::string_view field, size_t position) {
  if (position < column_at_position_.size()) {
    size_t guess = column_at_position_[position];
    if (guess != kNoColumn && columns_[guess].source_name == field) return guess;
  } else {
    column_at_position_.resize(position + 1, kNoColumn);
  }
  auto found = index_.find(std::string(field));  // short keys: SSO, no allocation
  size_t column = found == index_.end() ? kNoColumn : found->second;
  column_at_position_[position] = column;
  return column;
}

RowBatch RecordMapper::map(std::string_view ndjson, std::string_view extracted_at) {
  RowBatch batch;
  batch.width = columns_.size();
  batch.arena.reserve(ndjson.size() + 64);
  // One row per line: sized once, so the cells are never copied as they grow.
  batch.cells.reserve((static_cast<size_t>(std::count(ndjson.begin(), ndjson.end(), '\n')) + 1) * batch.width);
  // The per-batch constants are stored once and shared by every row.
  uint32_t sync_size = 0;
  uint32_t sync_offset = append_text(batch, sync_id_, sync_size);
  // The extraction time is an instant like any timestamp cell: decided here.
  const auto extracted = support::parse_rfc3339(extracted_at);
  if (!extracted) throw std::logic_error("extraction time is not RFC 3339: " + std::string(extracted_at));
  extracted_at_micros_ = extracted->micros;
  (void)sync_size;

  size_t line_number = 0;
  size_t start = 0;
  while (start < ndjson.size()) {
    size_t end = ndjson.find('\n', start);
    if (end == std::string_view::npos) end = ndjson.size();
    std::string_view line = ndjson.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    // The record's DOM, freed in one go after mapping; in the reused buffer
    // unless the record outgrows it.
    json::monotonic_resource memory(record_memory_.data(), record_memory_.size());
    parser_.reset(&memory);
    json::error_code ec;
    const bool marked = has_inexact_number(line);
    std::string marked_line;
    if (marked) {
      marked_line = mark_inexact_numbers(line);
      line = marked_line;
    }
    parser_.write(line.data(), line.size(), ec);  // write() expects one complete JSON text
    if (ec) {
      throw BadRecord("record " + std::to_string(line_number) + " of the batch is not valid JSON (" +
                      ec.message() + ")");
    }
    json::value record = parser_.release();
    if (!record.is_object()) {
      throw BadRecord("record " + std::to_string(line_number) + " of the batch is not a JSON object");
    }
    map_record(record.get_object(), batch, sync_offset, marked);
  }
  return batch;
}

void RecordMapper::map_record(const json::object& record, RowBatch& batch, uint32_t sync_offset, bool marked) {
  size_t first = batch.cells.size();
  batch.cells.resize(first + batch.width);
  Cell* row = batch.cells.data() + first;
  extra_.clear();
  uncast_.clear();
  size_t position = 0;
  for (const auto& field : record) {
    const size_t column = column_of(field.key(), position++);
    if (column == kNoColumn) {
      extra_.emplace(field.key(), field.value());
      continue;
    }
    if (field.value().is_null()) continue;
    if (!convert(field.value(), columns_[column].type, batch, row[column], marked)) {
      row[column] = Cell{};
      uncast_.emplace(field.key(), field.value());
      ++uncast_fields_[std::string(field.key())];
    }
  }
  // Re-fetch: convert() may have grown the arena, never the cells vector.
  Cell* meta = batch.cells.data() + first + data_width_;
  meta[0] = {Cell::Kind::timestamp, extracted_at_micros_, 0, 0, 0};
  meta[1] = {Cell::Kind::text, 0, 0, sync_offset, static_cast<uint32_t>(sync_id_.size())};
  if (!extra_.empty()) set_json(batch, meta[2], extra_, marked);
  if (!uncast_.empty()) set_json(batch, meta[3], uncast_, marked);
  ++batch.rows;
  ++records_;
}

}  // namespace sluice::host
