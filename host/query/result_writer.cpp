#include "host/query/result_writer.hpp"

#include "host/common/host_error.hpp"
#include "host/sync/number_literals.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace sluice::host {

namespace {

namespace json = boost::json;

// JSON text with numbers as people write them: a double in its shortest
// form that reads back the same (2.5, not Boost's 2.5E0), marked literals
// restored to their exact digits.
void append_json(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_: {
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double());
      out.append(buffer, ec == std::errc() ? end : buffer);
      return;
    }
    case json::kind::string:
      if (auto literal = marked_number(value.get_string())) {
        out.append(*literal);
        return;
      }
      out += json::serialize(value);
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        append_json(out, item);
      }
      out += '}';
      return;
    }
    default:
      out += json::serialize(value);
  }
}

// A cell's text for csv and table: a string as itself, a number or boolean
// as its literal (exact digits), an object or array as its JSON text.
std::string cell_text(const json::value& value) {
  if (const auto* text = value.if_string()) {
    if (auto literal = marked_number(*text)) return std::string(*literal);
    return std::string(*text);
  }
  std::string out;
  append_json(out, value);
  return out;
}

class CsvWriter : public ResultWriter {
 public:
  explicit CsvWriter(std::function<void(std::string_view)> out) : out_(std::move(out)) {}
  void begin(const std::vector<ResultColumn>& columns) override {
    std::string line;
    for (size_t i = 0; i < columns.size(); ++i) append_cell(line, i, columns[i].name);
    line += "\r\n";
    out_(line);
  }
  void row(const json::array& values, std::string_view) override {
    std::string line;
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].is_null()) {
        if (i > 0) line += ',';
      } else {
        append_cell(line, i, cell_text(values[i]));
      }
    }
    line += "\r\n";
    out_(line);
  }
  void end(const QueryOutcome&) override {}

 private:
  static void append_cell(std::string& line, size_t index, const std::string& text) {
    if (index > 0) line += ',';
    // An empty string is quoted so that it differs from a null.
    if (!text.empty() && text.find_first_of(",\"\r\n") == std::string::npos) {
      line += text;
      return;
    }
    line += '"';
    for (char c : text) {
      if (c == '"') line += '"';
      line += c;
    }
    line += '"';
  }
  std::function<void(std::string_view)> out_;
};

class NdjsonWriter : public ResultWriter {
 public:
  explicit NdjsonWriter(std::function<void(std::string_view)> out) : out_(std::move(out)) {}
  void begin(const std::vector<ResultColumn>& columns) override {
    for (const auto& column : columns) {
      std::string key = column.name;
      for (int n = 2; std::find(keys_.begin(), keys_.end(), key) != keys_.end(); ++n) {
        key = column.name + "_" + std::to_string(n);
      }
      keys_.push_back(key);
      quoted_keys_.push_back(json::serialize(json::string_view(key)));
    }
  }
  void row(const json::array& values, std::string_view) override {
    std::string line = "{";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) line += ',';
      line += quoted_keys_[i];
      line += ':';
      append_json(line, values[i]);
    }
    line += "}\n";
    out_(line);
  }
  void end(const QueryOutcome&) override {}

 private:
  std::function<void(std::string_view)> out_;
  std::vector<std::string> keys_, quoted_keys_;
};

class JsonWriter : public ResultWriter {
 public:
  explicit JsonWriter(std::function<void(std::string_view)> out) : out_(std::move(out)) {}
  void begin(const std::vector<ResultColumn>& columns) override {
    json::array list;
    for (const auto& column : columns) {
      list.push_back(json::object{{"name", column.name}, {"schema", column.schema}, {"source_type", column.source_type}});
    }
    out_("{\"columns\":" + json::serialize(list) + ",\"rows\":[");
  }
  void row(const json::array&, std::string_view text) override {
    std::string line = first_ ? "\n" : ",\n";
    first_ = false;
    line.append(text);
    out_(line);
  }
  void end(const QueryOutcome& outcome) override {
    out_("\n],\"row_count\":" + std::to_string(outcome.rows) +
         ",\"truncated\":" + (outcome.truncated ? "true" : "false") +
         ",\"facts\":" + json::serialize(outcome.facts) + "}\n");
  }

 private:
  std::function<void(std::string_view)> out_;
  bool first_ = true;
};

// Display width in code points (a terminal shows most as one column).
size_t width_of(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

class TableWriter : public ResultWriter {
 public:
  explicit TableWriter(std::function<void(std::string_view)> out) : out_(std::move(out)) {}
  void begin(const std::vector<ResultColumn>& columns) override {
    for (const auto& column : columns) {
      names_.push_back(one_line(column.name));
      const auto* type = column.schema.if_contains("type");
      right_.push_back(type && type->is_string() && (type->get_string() == "integer" || type->get_string() == "number"));
    }
  }
  void row(const json::array& values, std::string_view) override {
    std::vector<std::string> cells;
    for (const auto& value : values) cells.push_back(value.is_null() ? "NULL" : one_line(cell_text(value)));
    if (widths_.empty()) {
      sample_.push_back(std::move(cells));
      if (sample_.size() >= kTableSampleRows) flush_sample();
      return;
    }
    out_(format_row(cells));
  }
  void end(const QueryOutcome& outcome) override {
    if (widths_.empty()) flush_sample();
    out_("(" + std::to_string(outcome.rows) + (outcome.rows == 1 ? " row" : " rows") +
         (outcome.truncated ? ", truncated by " + outcome.truncated_by : std::string()) + ")\n");
  }

 private:
  static std::string one_line(const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else out += c;
    }
    return out;
  }
  // Cuts `text` to `width` code points, the last one "…".
  static std::string fit(const std::string& text, size_t width) {
    if (width_of(text) <= width) return text;
    std::string out;
    size_t shown = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
      if (starts && ++shown == width) break;
      out += text[i];
    }
    return out + "\u2026";
  }
  void flush_sample() {
    widths_.assign(names_.size(), 1);
    for (size_t i = 0; i < names_.size(); ++i) widths_[i] = std::max(widths_[i], width_of(names_[i]));
    for (const auto& cells : sample_) {
      for (size_t i = 0; i < cells.size(); ++i) widths_[i] = std::max(widths_[i], width_of(cells[i]));
    }
    for (auto& width : widths_) width = std::min(width, kTableCellWidth);
    std::string text = format_row(names_, true);
    for (size_t i = 0; i < widths_.size(); ++i) text += (i ? "-+-" : "") + std::string(widths_[i], '-');
    text += '\n';
    for (const auto& cells : sample_) text += format_row(cells);
    sample_.clear();
    out_(text);
  }
  std::string format_row(const std::vector<std::string>& cells, bool header = false) const {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string cell = fit(cells[i], widths_[i]);
      const std::string pad(widths_[i] - width_of(cell), ' ');
      if (i) line += " | ";
      line += (right_[i] && !header) ? pad + cell : cell + (i + 1 < cells.size() ? pad : "");
    }
    return line + "\n";
  }

  std::function<void(std::string_view)> out_;
  std::vector<std::string> names_;
  std::vector<bool> right_;
  std::vector<size_t> widths_;  // empty until the sample is printed
  std::vector<std::vector<std::string>> sample_;
};

}  // namespace

ResultFormat parse_result_format(std::string_view name) {
  if (name == "table") return ResultFormat::table;
  if (name == "csv") return ResultFormat::csv;
  if (name == "ndjson") return ResultFormat::ndjson;
  if (name == "json") return ResultFormat::json;
  throw HostError(Failure::usage, "--format must be table, csv, ndjson or json, got \"" + std::string(name) + "\"");
}

std::unique_ptr<ResultWriter> make_result_writer(ResultFormat format, std::function<void(std::string_view)> out) {
  switch (format) {
    case ResultFormat::table: return std::make_unique<TableWriter>(std::move(out));
    case ResultFormat::csv: return std::make_unique<CsvWriter>(std::move(out));
    case ResultFormat::ndjson: return std::make_unique<NdjsonWriter>(std::move(out));
    case ResultFormat::json: break;
  }
  return std::make_unique<JsonWriter>(std::move(out));
}

std::vector<ResultColumn> parse_result_columns(std::string_view columns_json) {
  json::error_code ec;
  json::value parsed = json::parse(columns_json, ec);
  if (ec || !parsed.is_array()) throw std::runtime_error("the result's columns are not a JSON array");
  std::vector<ResultColumn> columns;
  for (const auto& entry : parsed.get_array()) {
    const auto* object = entry.if_object();
    const json::value* name = object ? object->if_contains("name") : nullptr;
    if (!name || !name->is_string()) {
      throw std::runtime_error("column " + std::to_string(columns.size() + 1) + " of the result has no \"name\"");
    }
    ResultColumn column{std::string(name->get_string()), {}, ""};
    if (const auto* schema = object->if_contains("schema"); schema && schema->is_object()) {
      column.schema = schema->get_object();
    }
    if (const auto* type = object->if_contains("source_type"); type && type->is_string()) {
      column.source_type = std::string(type->get_string());
    }
    columns.push_back(std::move(column));
  }
  if (columns.empty()) throw std::runtime_error("the result has no columns");
  return columns;
}

}  // namespace sluice::host
