// Reading an uploaded CSV file of usage events (issue 22, item 3), pushed in
// chunks of any size, in bounded memory: each good row comes out as the text
// of a JSON object (field -> string or null) for the record mapper to type;
// each bad row as one error with its line and column, and reading goes on.
//
// The format is RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180):
//  - records end with CRLF or LF; the last one may have no line end; empty
//    lines are skipped; a UTF-8 byte order mark at the very start is skipped;
//  - a field is quoted when its first byte is '"'; inside quotes the
//    delimiter, CR and LF are data and "" is one quote. A quote anywhere else
//    is only data of a broken row: it never opens quoting, so a broken row
//    still ends at the next line end outside quotes and the next record reads;
//  - the first non-empty record is the header: its names (renamed by
//    CsvOptions::rename) are the fields of every row, in order.
//
// Errors, and what the reader does after them:
//  - a broken row (a quote inside an unquoted cell, text after a closing
//    quote, a quoted cell still open at the end of the input, a count of
//    cells other than the header's, a cell that is not UTF-8, a cell or
//    record over its limit) is rejected: one CsvRowError, and reading goes on
//    with the next record;
//  - a cell over the limit outside quotes is skipped to the end of its
//    record, unstored; a record over the limit is skipped likewise;
//  - a quoted cell over max_field_bytes is a runaway quote (most likely an
//    unbalanced one): where its record ends cannot be known, so the rest of
//    the upload cannot be read and feed() throws BadCsv;
//  - a header that cannot name the fields (broken, over a limit, empty or
//    duplicate names, a rename naming no column) and an upload with no
//    header at all throw BadCsv.
//
// Line numbers are physical lines, 1-based, of the record's first line
// (a quoted line break counts). Columns are 1-based cell positions in the
// record (the header's column), not byte offsets.
//
// Memory: the current record's cells (at most max_record_bytes; cells past
// the header's count are counted, not kept) and one row of JSON text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

struct CsvOptions {
  // One byte; not '"', CR, LF or a non-ASCII byte. ',' ';' '\t' are usual.
  char delimiter = ',';
  // Bytes of one cell's value, after unquoting.
  std::size_t max_field_bytes = std::size_t{1} << 20;
  // Bytes of one record's values, plus one per cell (its delimiter or line
  // end, so that a line of delimiters alone is bounded too).
  std::size_t max_record_bytes = std::size_t{4} << 20;
  // Header name -> field name ({"Customer ID": "customer_id"}). Columns
  // not named here keep their header name; a name here that the header
  // does not have is a BadCsv (a typo would otherwise drop a field).
  std::map<std::string, std::string, std::less<>> rename;
  // An empty cell (nothing between delimiters) becomes null, or "" when
  // set. A quoted empty cell ("") is always "", as PostgreSQL's COPY reads it.
  bool empty_cell_is_empty_string = false;
};

// A good row. `json` ({"field":"value",...} in header order) is valid only
// during the call.
struct CsvRow {
  std::uint64_t line;
  std::string_view json;
};

// A rejected row: where and why.
struct CsvRowError {
  std::uint64_t line;
  std::uint64_t column;
  std::string field;   // the column's field name, "" when the column has none
  std::string reason;  // one line, without the place: "a quote inside an unquoted cell"

  // "line 7, column 3 (\"amount\"): a quote inside an unquoted cell".
  std::string text() const;
};

struct CsvSummary {
  std::uint64_t rows_read = 0;      // records after the header, good or rejected
  std::uint64_t rows_rejected = 0;  // of those, each reported to the error handler
};

// The upload cannot be read on: what() is one line with its place,
// "line 12, column 3: ...".
class BadCsv : public std::runtime_error {
 public:
  BadCsv(std::uint64_t line, std::uint64_t column, const std::string& reason);
  std::uint64_t line() const noexcept { return line_; }
  std::uint64_t column() const noexcept { return column_; }  // 0 when the line is the place

 private:
  std::uint64_t line_;
  std::uint64_t column_;
};

class CsvReader {
 public:
  using RowHandler = std::function<void(const CsvRow&)>;
  using ErrorHandler = std::function<void(const CsvRowError&)>;

  // Throws std::invalid_argument for a delimiter it cannot read by or a
  // zero limit.
  CsvReader(CsvOptions options, RowHandler on_row, ErrorHandler on_error);

  // Reads `chunk` (any size, cut anywhere, even inside a UTF-8 character or
  // a CRLF), calling the handlers for every record it completes. Throws
  // BadCsv when the upload cannot be read on; the reader is then spent, and
  // every later call throws the same BadCsv. An exception from a handler
  // leaves the reader unusable.
  void feed(std::string_view chunk);

  // The end of the input: completes the last record and returns the
  // summary. Throws BadCsv when the upload had no header. Call it once.
  CsvSummary finish();

  const CsvSummary& summary() const noexcept { return summary_; }
  // The field names (the header after renaming); empty until it is read.
  const std::vector<std::string>& fields() const noexcept { return fields_; }

 private:
  enum class State {
    field_start,    // before a cell's first byte
    unquoted,       // inside an unquoted cell
    unquoted_cr,    // a CR in an unquoted cell: a line end if LF follows
    quoted,         // inside quotes
    quoted_quote,   // a quote inside quotes: "" or the closing quote
    closed_cr,      // a CR after a closing quote: a line end if LF follows
  };
  struct Cell {
    std::size_t end;  // in record_
    bool quoted;
  };

  void scan(const char* p, const char* end);
  const char* scan_unquoted(const char* p, const char* end);
  const char* scan_quoted(const char* p, const char* end);
  void append(const char* p, std::size_t n);
  void end_cell();
  void end_line();  // an LF outside quotes: the end of the cell and of the record
  void end_record();
  void read_header();
  void emit_row();
  void reject(std::uint64_t column, std::string reason);
  std::string field_of(std::uint64_t column) const;
  [[noreturn]] void fail(std::uint64_t line, std::uint64_t column, const std::string& reason);

  CsvOptions options_;
  RowHandler on_row_;
  ErrorHandler on_error_;
  CsvSummary summary_;
  std::vector<std::string> fields_;
  std::vector<std::string> keys_;  // each field as JSON text with its colon: "\"id\":"
  bool special_unquoted_[256] = {};  // bytes that end a run outside quotes

  State state_ = State::field_start;
  std::size_t bom_matched_ = 0;  // bytes of a leading BOM seen so far
  bool started_ = false;         // past the possible BOM
  std::uint64_t line_ = 1;        // the physical line being read
  std::uint64_t record_line_ = 1;  // the first line of the current record

  // The current record: its cells' values, back to back, and where each ends.
  std::string record_;
  std::vector<Cell> cells_;
  std::uint64_t cell_count_ = 0;    // cells ended so far, kept or not
  std::size_t field_bytes_ = 0;     // of the current cell, kept or not
  std::size_t record_bytes_ = 0;    // of the current record, kept or not
  bool field_quoted_ = false;
  bool skipping_ = false;           // over a limit: the rest of the record is not kept
  std::uint64_t error_column_ = 0;  // the record's first error, 0 if none
  std::string error_reason_;

  std::string json_;  // the row being handed over
  std::string failure_;  // what() of the BadCsv that spent the reader
  std::uint64_t failure_line_ = 0, failure_column_ = 0;
};

}  // namespace sluice::host
