// Fuzz target: the CSV reader of uploads (host/ingest/csv_reader.hpp).
// Input: the first byte picks the options (bits 0-1 the delimiter , ; tab |,
// bit 2 empty cells as "", bit 3 small limits: 16-byte cells, 64-byte
// records), the rest is the upload.
// Checked, from the reader's contract:
//  - the upload cut into small chunks (sizes from the input itself) reads
//    exactly as in one chunk: the same rows, errors, summary or BadCsv;
//  - every row is a JSON object with the header's fields in order, each a
//    string or null; lines grow; every error has a line, a column and a
//    one-line reason; the summary counts what the handlers got;
//  - the good rows, written back as CSV with every value quoted, read back
//    to the same JSON.
// BadCsv is the documented end of an unreadable upload; any other exception
// or crash is a finding.
#include "host/ingest/csv_reader.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sluice::host;
namespace json = boost::json;

namespace {

void require(bool condition, const char* what) {
  if (!condition) throw std::logic_error(what);
}

struct Transcript {
  std::vector<std::string> said;     // rows and errors, in order, with their places
  std::vector<std::string> rows;     // the good rows' JSON
  std::vector<std::string> fields;
  std::uint64_t errors = 0;
  CsvSummary summary;
  bool failed = false;
};

// Reads `upload` in chunks of the sizes `sizes` cycles through (all of it
// at once when empty).
Transcript read(const CsvOptions& options, std::string_view upload, std::string_view sizes) {
  Transcript t;
  std::uint64_t last_line = 0;
  CsvReader reader(
      options,
      [&](const CsvRow& row) {
        require(row.line > last_line && row.line >= 2, "a row's line does not grow");
        last_line = row.line;
        t.said.push_back(std::to_string(row.line) + " " + std::string(row.json));
        t.rows.emplace_back(row.json);
      },
      [&](const CsvRowError& error) {
        require(error.line > last_line && error.line >= 2, "an error's line does not grow");
        last_line = error.line;
        require(error.column >= 1, "an error without a column");
        require(!error.reason.empty() && error.reason.find('\n') == std::string::npos, "an error reason is not one line");
        t.said.push_back(error.text());
        require(t.said.back().find('\n') == std::string::npos, "an error's text is not one line");
        ++t.errors;
      });
  try {
    std::size_t next = 0;
    while (!upload.empty()) {
      const std::size_t size = sizes.empty() ? upload.size() : 1 + static_cast<unsigned char>(sizes[next++ % sizes.size()]) % 24;
      const std::size_t take = std::min(size, upload.size());
      reader.feed(upload.substr(0, take));
      upload.remove_prefix(take);
    }
    t.summary = reader.finish();
  } catch (const BadCsv& e) {
    const std::string what = e.what();
    require(what.rfind("line ", 0) == 0 && what.find('\n') == std::string::npos, "a BadCsv is not one line with its place");
    t.said.push_back(what);
    t.summary = reader.summary();
    t.failed = true;
  }
  t.fields = reader.fields();
  require(t.summary.rows_read == t.rows.size() + t.errors, "rows read is not rows plus errors");
  require(t.summary.rows_rejected == t.errors, "rows rejected is not the errors reported");
  return t;
}

void check_rows(const Transcript& t) {
  for (const auto& text : t.rows) {
    json::error_code ec;
    const json::value value = json::parse(text, ec);
    require(!ec && value.is_object(), "a row is not a JSON object");
    const json::object& row = value.as_object();
    require(row.size() == t.fields.size(), "a row does not have the header's fields");
    std::size_t i = 0;
    for (const auto& [key, cell] : row) {
      require(key == t.fields[i++], "a row's fields are not the header's, in order");
      require(cell.is_string() || cell.is_null(), "a cell is neither a string nor null");
    }
  }
}

void append_quoted(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// The good rows as CSV again: header and values quoted, null as an empty cell.
std::string written_back(const Transcript& t, char delimiter) {
  std::string out;
  for (std::size_t i = 0; i < t.fields.size(); ++i) {
    if (i) out.push_back(delimiter);
    append_quoted(out, t.fields[i]);
  }
  out += "\r\n";
  for (const auto& text : t.rows) {
    const json::value row = json::parse(text);
    std::size_t i = 0;
    for (const auto& [key, cell] : row.as_object()) {
      if (i++) out.push_back(delimiter);
      if (cell.is_string()) append_quoted(out, cell.get_string());
    }
    out += "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  CsvOptions options;
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  options.delimiter = kDelimiters[data[0] & 3];
  options.empty_cell_is_empty_string = (data[0] & 4) != 0;
  if (data[0] & 8) {
    options.max_field_bytes = 16;
    options.max_record_bytes = 64;
  }
  const std::string_view upload(reinterpret_cast<const char*>(data) + 1, size - 1);

  const Transcript whole = read(options, upload, {});
  const Transcript chunked = read(options, upload, upload.empty() ? std::string_view("\x07") : upload);
  require(chunked.said == whole.said, "chunks read differently from one chunk");
  check_rows(whole);

  if (whole.fields.empty()) return 0;
  // Quoting adds no bytes to the values, so a written-back row stays within
  // the limits that let it through; a cell under the limits can be written.
  const std::string again = written_back(whole, options.delimiter);
  const Transcript reread = read(options, again, {});
  require(!reread.failed && reread.errors == 0, "rows written back do not read back cleanly");
  require(reread.rows == whole.rows, "rows written back read back to other values");
  return 0;
}
