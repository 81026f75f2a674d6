// A CSV upload into an ingest stream (issue 22, item 3; docs/ingest.md "CSV
// upload"), fed in chunks of any size, in bounded memory: CsvReader
// (csv_reader.hpp, the CSV contract) turns records into rows of strings;
// each cell is typed by the stream's schema (below), and every batch of
// rows goes the JSON path's way, through read_event_batch (validation, the
// record mapper, duplicates within the batch) and IngestSession::write (the
// id under the unique index, in the same transaction as the rows). Each
// batch is committed before the next one is read, so an upload that stops
// (a BadCsv, a size limit, a target failure) keeps the batches before it,
// and sending the same file again reports them as duplicate.
//
// Cells to JSON values, by the schema property's "type" (a string or a
// list): an empty unquoted cell is no value (the field is absent: null in
// its column, an error for the id, time and customer fields); a property
// that allows "string" keeps the text; otherwise the text is read as an
// integer, a number, true/false, or JSON text for an object or array,
// whichever the type allows first; a cell that reads as none stays a
// string and the schema rejects it ("expected integer, got string").
// Columns the schema does not name go to _sluice_extra as text.
//
// Memory: one batch (batch_rows rows as NDJSON, then typed), the rejected
// rows' errors of that batch, and at most max_errors errors for the report.
#pragma once

#include "host/ingest/csv_reader.hpp"
#include "host/ingest/ingest_writer.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host {

struct CsvIngestOptions {
  CsvOptions csv;
  size_t batch_rows = 5000;   // rows per transaction
  size_t max_errors = 1000;   // errors listed in the report; the rest counted
};

// One rejected row's problem. `column` is the 1-based column of `field` in
// the header (0 when the problem is not one column's: a missing field).
struct CsvIngestError {
  std::uint64_t line = 0;
  std::uint64_t column = 0;
  std::string field;
  std::string reason;
};

struct CsvIngestReport {
  std::uint64_t rows = 0;  // records after the header that were read
  std::uint64_t accepted = 0, duplicate = 0, rejected = 0;
  std::uint64_t batches = 0;  // transactions committed
  std::vector<CsvIngestError> errors;  // in line order, at most max_errors
  std::uint64_t errors_omitted = 0;
  // Set when the upload stopped before its end: where, and why. The rows
  // counted above are committed; nothing after this place was read.
  std::optional<CsvIngestError> stopped;
};

// {"accepted", "duplicate", "rejected", "rows", "errors": [{"line",
// "column", "field", "reason"}], "errors_omitted", "stopped"?: {"line",
// "column", "reason"}}.
boost::json::object csv_report_json(const CsvIngestReport& report);

class CsvIngest {
 public:
  // `session` is prepared for `stream` with `table` (IngestSession::prepare).
  // `new_request_id` names each batch's transaction (its rows'
  // _sluice_sync_id): every batch needs its own, since the writer tells its
  // own rows from earlier ones by it.
  CsvIngest(const IngestStream& stream, IngestSession& session, const IngestTable& table,
            CsvIngestOptions options, std::function<std::string()> new_request_id);

  // Reads `chunk`, committing a batch whenever one is full. Throws BadCsv
  // (after committing the rows before the place it names) and TargetError
  // (the batch being written is not stored; the session must be dropped).
  void feed(std::string_view chunk);
  // The end of the upload: the last record, the last batch.
  void finish();
  // Stops reading here (a size limit): the rows read so far are committed,
  // and the report says where and why.
  void stop(const std::string& reason);

  const CsvIngestReport& report() const { return report_; }
  // After a TargetError: the report says the upload stopped at the first
  // line of the batch that was not stored.
  void failed(const std::string& reason);

 private:
  void stopped(std::uint64_t line, std::uint64_t column, const std::string& reason);
  void stopped(const BadCsv& e);
  void on_row(const CsvRow& row);
  void on_error(const CsvRowError& error);
  void flush();
  void add_error(CsvIngestError error);
  std::uint64_t column_of(const std::string& field) const;

  const IngestStream& stream_;
  IngestSession& session_;
  const IngestTable& table_;
  CsvIngestOptions options_;
  std::function<std::string()> new_request_id_;
  CsvReader reader_;
  // field -> the JSON types its schema property allows ("string", ...).
  std::map<std::string, std::vector<std::string>, std::less<>> types_;
  std::uint64_t last_line_ = 0;  // of the last record read

  // The batch being gathered.
  std::string ndjson_;
  std::vector<std::uint64_t> lines_;          // each row's line
  std::vector<CsvIngestError> batch_errors_;  // the reader's, for this batch's lines
  size_t batch_records_ = 0;                  // good and bad

  CsvIngestReport report_;
};

}  // namespace sluice::host
