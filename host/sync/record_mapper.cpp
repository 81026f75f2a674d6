#include "host/sync/record_mapper.hpp"

#include "host/sync/number_literals.hpp"

#include "host/common/utf8.hpp"

#include <sluice/support/json_elements.hpp>
#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

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

// A value as the typing rules see it: a JSON scalar, or an object or array
// (a DOM). Records of both forms, NDJSON and typed cells (ABI 1.4), become
// these, so one set of rules types both alike.
struct Value {
  enum class Kind : uint8_t { boolean, int64, uint64, real, string, structured } kind = Kind::int64;
  int64_t integer = 0;   // boolean (0/1), int64
  uint64_t unsigned_integer = 0;
  double real = 0;
  std::string_view text;             // string
  const json::value* dom = nullptr;  // structured

  static Value boolean(bool b) { return make(Kind::boolean, [&](Value& v) { v.integer = b ? 1 : 0; }); }
  static Value int64(int64_t i) { return make(Kind::int64, [&](Value& v) { v.integer = i; }); }
  static Value number(double d) { return make(Kind::real, [&](Value& v) { v.real = d; }); }
  static Value string(std::string_view s) { return make(Kind::string, [&](Value& v) { v.text = s; }); }
  static Value of(const json::value& value) {
    switch (value.kind()) {
      case json::kind::bool_: return boolean(value.get_bool());
      case json::kind::int64: return int64(value.get_int64());
      case json::kind::uint64: return make(Kind::uint64, [&](Value& v) { v.unsigned_integer = value.get_uint64(); });
      case json::kind::double_: return number(value.get_double());
      case json::kind::string: return string(value.get_string());
      default: return make(Kind::structured, [&](Value& v) { v.dom = &value; });  // object, array (never null)
    }
  }
  template <typename Set>
  static Value make(Kind kind, Set set) {
    Value value;
    value.kind = kind;
    set(value);
    return value;
  }
  bool is_number() const { return kind == Kind::int64 || kind == Kind::uint64 || kind == Kind::real; }
};

// A number as a person writes it: "3.5", not Boost.JSON's "3.5E0".
std::string number_text(const Value& value) {
  char text[64];
  std::to_chars_result result{};
  if (value.kind == Value::Kind::int64) result = std::to_chars(text, text + sizeof text, value.integer);
  else if (value.kind == Value::Kind::uint64) result = std::to_chars(text, text + sizeof text, value.unsigned_integer);
  else result = std::to_chars(text, text + sizeof text, value.real);
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

void append_json(std::string& out, const Value& value) {
  switch (value.kind) {
    case Value::Kind::boolean: out += value.integer ? "true" : "false"; return;
    case Value::Kind::string: append_json_string(out, value.text); return;
    case Value::Kind::structured: append_json(out, *value.dom); return;
    default: out += number_text(value); return;
  }
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
    case json::kind::null: out += "null"; return;
    default: append_json(out, Value::of(value)); return;
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
bool convert(const Value& value, ColumnType type, RowBatch& batch, Cell& cell, bool marked) {
  using Kind = Value::Kind;
  if (marked && value.kind == Kind::string) {
    if (auto literal = marked_number(value.text)) {
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
      if (value.kind == Kind::int64) {
        cell.kind = Cell::Kind::integer;
        cell.integer = value.integer;
        return true;
      }
      if (value.kind == Kind::uint64) {
        if (value.unsigned_integer > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
        cell.kind = Cell::Kind::integer;
        cell.integer = static_cast<int64_t>(value.unsigned_integer);
        return true;
      }
      if (value.kind == Kind::real) {
        const double d = value.real;
        if (std::trunc(d) != d || std::fabs(d) > kMaxExactInteger) return false;
        cell.kind = Cell::Kind::integer;
        cell.integer = static_cast<int64_t>(d);
        return true;
      }
      if (value.kind == Kind::string) {  // BigQuery and others send INT64 as strings
        int64_t parsed;
        if (!parse_integer(value.text, parsed)) return false;
        cell.kind = Cell::Kind::integer;
        cell.integer = parsed;
        return true;
      }
      return false;
    case ColumnType::number:
      if (value.kind == Kind::real) {
        if (!std::isfinite(value.real)) return false;
        cell.kind = Cell::Kind::real;
        cell.real = value.real;
        return true;
      }
      if (value.kind == Kind::int64 || value.kind == Kind::uint64) {
        const double d = value.kind == Kind::int64 ? static_cast<double>(value.integer)
                                                   : static_cast<double>(value.unsigned_integer);
        if (std::fabs(d) > kMaxExactInteger) return false;  // would lose digits
        cell.kind = Cell::Kind::real;
        cell.real = d;
        return true;
      }
      if (value.kind == Kind::string) {
        double parsed;
        if (!parse_real(value.text, parsed)) return false;
        cell.kind = Cell::Kind::real;
        cell.real = parsed;
        return true;
      }
      return false;
    case ColumnType::boolean:
      if (value.kind == Kind::boolean) {
        cell.kind = Cell::Kind::integer;
        cell.integer = value.integer;
        return true;
      }
      if (value.kind == Kind::string && (value.text == "true" || value.text == "false")) {
        cell.kind = Cell::Kind::integer;
        cell.integer = value.text == "true" ? 1 : 0;
        return true;
      }
      return false;
    case ColumnType::timestamp: {
      // Decided once: the UTC instant. Writers encode it (SQLite as its
      // canonical text, whose order is time order), so "newest cursor wins"
      // compares instants on every engine.
      if (value.kind != Kind::string) return false;
      const auto instant = support::parse_rfc3339(value.text);
      if (!instant) return false;
      cell.kind = Cell::Kind::timestamp;
      cell.integer = instant->micros;
      return true;
    }
    case ColumnType::date:
      if (value.kind != Kind::string || !support::parse_date(value.text)) return false;
      set_text(batch, cell, value.text);
      return true;
    case ColumnType::text:
      if (value.kind == Kind::string) {
        set_text(batch, cell, value.text);
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

// The value as a DOM, for _sluice_extra and _sluice_uncast.
json::value to_dom(const Value& value) {
  switch (value.kind) {
    case Value::Kind::boolean: return json::value(value.integer != 0);
    case Value::Kind::int64: return json::value(value.integer);
    case Value::Kind::uint64: return json::value(value.unsigned_integer);
    case Value::Kind::real: return json::value(value.real);
    case Value::Kind::string: return json::value(json::string(value.text));
    case Value::Kind::structured: return *value.dom;
  }
  return nullptr;
}

}  // namespace

RecordMapper::RecordMapper(const std::vector<ColumnDef>& columns, std::string sync_id)
    : columns_(columns),
      data_width_(columns.size() - metadata_columns().size()),
      sync_id_(std::move(sync_id)),
      cell_parser_(json::storage_ptr(), [] {
        json::parse_options options;
        options.max_depth = json::parse_options().max_depth - 1;
        return options;
      }()),
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

uint32_t RecordMapper::begin_batch(RowBatch& batch, size_t rows, size_t text_bytes, std::string_view extracted_at) {
  batch.width = columns_.size();
  batch.arena.reserve(text_bytes + 64);
  // Sized once, so the cells are never copied as they grow.
  batch.cells.reserve(rows * batch.width);
  // The extraction time is an instant like any timestamp cell: decided here.
  const auto extracted = support::parse_rfc3339(extracted_at);
  if (!extracted) throw std::logic_error("extraction time is not RFC 3339: " + std::string(extracted_at));
  extracted_at_micros_ = extracted->micros;
  // The per-batch constants are stored once and shared by every row.
  uint32_t sync_size = 0;
  return append_text(batch, sync_id_, sync_size);
}

Cell* RecordMapper::begin_row(RowBatch& batch) {
  const size_t first = batch.rows * batch.width;
  if (batch.cells.size() < first + batch.width) batch.cells.resize(first + batch.width);
  extra_.clear();
  uncast_.clear();
  return batch.cells.data() + first;
}

void RecordMapper::finish_row(RowBatch& batch, uint32_t sync_offset, bool marked) {
  // The row's cells by index: converting may have grown the arena, never the
  // cells vector.
  Cell* meta = batch.cells.data() + batch.rows * batch.width + data_width_;
  meta[0] = {Cell::Kind::timestamp, extracted_at_micros_, 0, 0, 0};
  meta[1] = {Cell::Kind::text, 0, 0, sync_offset, static_cast<uint32_t>(sync_id_.size())};
  if (!extra_.empty()) set_json(batch, meta[2], extra_, marked);
  if (!uncast_.empty()) set_json(batch, meta[3], uncast_, marked);
  ++batch.rows;
  ++records_;
}

RowBatch RecordMapper::map(std::string_view ndjson, std::string_view extracted_at) {
  RowBatch batch;
  // One row per line.
  const size_t lines = static_cast<size_t>(std::count(ndjson.begin(), ndjson.end(), '\n')) + 1;
  const uint32_t sync_offset = begin_batch(batch, lines, ndjson.size(), extracted_at);

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
  Cell* row = begin_row(batch);
  size_t position = 0;
  for (const auto& field : record) {
    const size_t column = column_of(field.key(), position++);
    if (column == kNoColumn) {
      extra_.emplace(field.key(), field.value());
      continue;
    }
    if (field.value().is_null()) continue;
    if (!convert(Value::of(field.value()), columns_[column].type, batch, row[column], marked)) {
      row[column] = Cell{};
      uncast_.emplace(field.key(), field.value());
      ++uncast_fields_[std::string(field.key())];
    }
  }
  finish_row(batch, sync_offset, marked);
}

RowBatch RecordMapper::map_cells(const RecordBatchCopy& records, std::string_view extracted_at) {
  RowBatch batch;
  const uint32_t sync_offset = begin_batch(batch, records.records, records.text.size(), extracted_at);
  batch.cells.resize(records.records * batch.width);  // every row's NULL cells at once
  const size_t fields = records.fields.size();
  std::vector<size_t> column(fields);  // of each field, once per batch
  for (size_t f = 0; f < fields; ++f) column[f] = column_of(records.fields[f], f);
  const bool json_cells = std::any_of(records.cells.begin(), records.cells.end(),
                                      [](const sluice_cell& cell) { return cell.kind == SLUICE_CELL_JSON; });
  std::string timestamp_text;
  for (size_t r = 0; r < records.records; ++r) {
    Cell* row = begin_row(batch);
    // As for a line of NDJSON: the whole record is marked when any of its
    // JSON cells has a number literal a double would change.
    bool marked = false;
    for (size_t f = 0; json_cells && f < fields; ++f) {
      const sluice_cell& in = records.cells[r * fields + f];
      marked = marked || (in.kind == SLUICE_CELL_JSON &&
                          has_inexact_number(std::string_view(records.text.data() + in.value.offset, in.size)));
    }
    for (size_t f = 0; f < fields; ++f) {
      const sluice_cell& in = records.cells[r * fields + f];
      const std::string_view name = records.fields[f];
      // What the same record's JSON would hold: plugin.h's equivalence.
      Value value;
      // A JSON cell's DOM, in the reused buffer as a record's (converting
      // copies out what it keeps); the resource outlives the DOM.
      std::optional<json::monotonic_resource> memory;
      std::optional<json::value> parsed;
      switch (in.kind) {
        case SLUICE_CELL_NULL:
          if (column[f] == kNoColumn) extra_.emplace(name, nullptr);
          continue;
        case SLUICE_CELL_INT64: value = Value::int64(in.value.integer); break;
        case SLUICE_CELL_DOUBLE: value = Value::number(in.value.real); break;
        case SLUICE_CELL_BOOL: value = Value::boolean(in.value.integer != 0); break;
        case SLUICE_CELL_TIMESTAMP:
          if (column[f] != kNoColumn && columns_[column[f]].type == ColumnType::timestamp) {
            // The instant its text would parse back to (support/timestamp.hpp).
            row[column[f]] = {Cell::Kind::timestamp, in.value.integer, 0, 0, 0};
            continue;
          }
          timestamp_text.clear();
          support::append_rfc3339(timestamp_text, {in.value.integer});
          value = Value::string(timestamp_text);
          break;
        case SLUICE_CELL_STRING: {
          const std::string_view text(records.text.data() + in.value.offset, in.size);
          if (!all_ascii(text) && !valid_utf8(text)) {
            throw BadRecord("record " + std::to_string(r + 1) + " of the batch, field " + std::string(name) +
                            ": the text is not UTF-8");
          }
          value = Value::string(text);
          break;
        }
        default: {  // SLUICE_CELL_JSON (copy_record_batch refused any other kind)
          std::string_view text(records.text.data() + in.value.offset, in.size);
          std::string marked_text;
          if (marked && has_inexact_number(text)) {
            marked_text = mark_inexact_numbers(text);
            text = marked_text;
          }
          memory.emplace(record_memory_.data(), record_memory_.size());
          cell_parser_.reset(&*memory);
          json::error_code ec;
          cell_parser_.write(text.data(), text.size(), ec);
          if (ec) {
            throw BadRecord("record " + std::to_string(r + 1) + " of the batch, field " + std::string(name) +
                            ": the JSON cell is not valid JSON (" + ec.message() + ")");
          }
          parsed = cell_parser_.release();
          if (parsed->is_null()) {
            if (column[f] == kNoColumn) extra_.emplace(name, nullptr);
            continue;
          }
          value = Value::of(*parsed);
        }
      }
      if (column[f] == kNoColumn) {
        extra_.emplace(name, to_dom(value));
        continue;
      }
      if (!convert(value, columns_[column[f]].type, batch, row[column[f]], marked)) {
        row[column[f]] = Cell{};
        uncast_.emplace(name, to_dom(value));
        ++uncast_fields_[std::string(name)];
      }
    }
    finish_row(batch, sync_offset, marked);
  }
  return batch;
}

}  // namespace sluice::host
