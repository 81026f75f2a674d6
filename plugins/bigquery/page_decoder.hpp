// Result pages (QueryResponse, GetQueryResultsResponse) decoded in one
// streaming pass over the response bytes: each row of "rows" becomes the
// JSON text of its record, written straight from the cells and handed over
// as soon as it is complete, with no DOM of the rows and no record object in
// between. Values decode exactly as cell_decoder.hpp documents (INT64 from
// its string, NUMERIC and BIGNUMERIC as decimal text never through a double,
// TIMESTAMP as UTC ISO-8601 with microseconds from either encoding, JSON
// columns as JSON, RECORD and REPEATED nested, NULLs); cell_decoder.hpp's
// DOM decoder stays the reference the tests compare this one with.
// Every member but "rows" is small (schema, jobReference, totalRows,
// pageToken...) and is returned as a DOM.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list (TableRow / TableCell)
#pragma once

#include "field_schema.hpp"

#include <sluice/sdk.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bigquery {

// One record's JSON text (no newline), borrowed for the call.
using RecordSink = std::function<void(std::string_view record)>;

struct DecodedPage {
  json::object members;  // the response without "rows" and "schema"
  std::optional<std::vector<Field>> schema;  // its "schema", when it has one
  size_t rows = 0;       // records handed to the sink
  // The wire text of the captured columns in the last row (nullopt: NULL),
  // in the order they were named; empty when the page has no rows.
  std::vector<std::optional<std::string>> last;
};

// How a top-level row is written: a JSON object of its columns (a record,
// for read), or a JSON array of its values in column order (a query row,
// for query in place). RECORD values inside are objects either way.
enum class RowShape { object, array };

struct DecodeOptions {
  RowShape shape = RowShape::object;
  // Set: each top-level row goes to this context as typed cells (ABI 1.4),
  // one per column, instead of to the sink as text; the sink is not called.
  // A column's cell is the value its text would hold: INT64, FLOAT64 and
  // BOOL as numbers and booleans, TIMESTAMP as its instant, RECORD,
  // REPEATED and JSON columns as JSON cells, NUMERIC and the rest (and any
  // value the rules above keep as a string) as text.
  sluice::ReadContext* cells = nullptr;
  // Called with the page's schema once it is read, before any row of the
  // page reaches the sink; only when `fields` is nullptr (the first page).
  std::function<void(const std::vector<Field>& schema)> on_schema;
};

// Decodes one response body. `fields` is the result schema when already
// known (later pages); nullptr takes the page's own "schema" (a page that
// lists its rows before its schema is read twice, the first time without
// decoding rows). `capture` names top-level columns whose last wire values
// are kept (cursor and key columns). The sink may throw: decoding stops and
// the exception passes through.
// Throws sluice::Error(source) for a body that is not one JSON object, a
// row that does not have its schema's shape (cell_decoder.hpp's rules), and
// a row, cell or page naming "f", "v" or "rows" twice (BigQuery never does).
DecodedPage decode_page(std::string_view body, const std::vector<Field>* fields,
                        const std::vector<std::string>& capture, const RecordSink& sink,
                        const DecodeOptions& options = {});

// The JSON text of one row ({"f": [...]} as a DOM): the encoder above on a
// single row, for tests and the fuzz target.
std::string encode_row(const json::value& row, const std::vector<Field>& fields);

}  // namespace bigquery
