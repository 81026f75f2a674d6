// Turns a batch of records (newline-delimited JSON, or ABI 1.4's typed
// cells) into typed rows for one table. Values that do not fit their column's type are never dropped and
// never fail the sync: the cell is NULL and the original value is kept in
// _sluice_uncast. Fields the schema does not know go to _sluice_extra.
#pragma once

#include "host/plugin/record_batch.hpp"
#include "host/target/column.hpp"
#include "host/target/row_batch.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::host {

// Thrown when a line is not a JSON object: the plugin broke its contract.
class BadRecord : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RecordMapper {
 public:
  // `columns`: the stream's columns followed by metadata_columns().
  RecordMapper(const std::vector<ColumnDef>& columns, std::string sync_id);

  // Parses every non-empty line of `ndjson` into one row of a new batch.
  // Throws BadRecord naming the line if one is not a JSON object.
  RowBatch map(std::string_view ndjson, std::string_view extracted_at);
  // The same for typed records (ABI 1.4): each row is what map() makes of
  // the record's JSON (plugin.h's equivalence), without writing or parsing
  // JSON but for JSON cells. Throws BadRecord naming the record and field
  // for a STRING cell that is not UTF-8 or a JSON cell that is not JSON.
  RowBatch map_cells(const RecordBatchCopy& records, std::string_view extracted_at);

  // Fields whose values went to _sluice_uncast so far, with counts.
  const std::unordered_map<std::string, uint64_t>& uncast_fields() const { return uncast_fields_; }
  uint64_t records_mapped() const { return records_; }

 private:
  void map_record(const boost::json::object& record, RowBatch& batch, uint32_t sync_offset, bool marked);
  // Sizes the batch and returns the arena offset of the sync id.
  uint32_t begin_batch(RowBatch& batch, size_t rows, size_t text_bytes, std::string_view extracted_at);
  Cell* begin_row(RowBatch& batch);  // a row of NULL cells; clears extra_ and uncast_
  void finish_row(RowBatch& batch, uint32_t sync_offset, bool marked);  // metadata cells
  size_t column_of(std::string_view field, size_t position);

  static constexpr size_t kNoColumn = static_cast<size_t>(-1);
  std::vector<ColumnDef> columns_;
  size_t data_width_;
  std::unordered_map<std::string, size_t> index_;  // source field -> column
  // The column of the field at each position of the last record: records of
  // one source nearly always list their fields in the same order, so one
  // string compare replaces a hash lookup.
  std::vector<size_t> column_at_position_;
  std::string sync_id_;
  boost::json::parser parser_;
  // A JSON cell's: one level less deep than a record's, since in the
  // record's JSON the cell's value sits inside the record.
  boost::json::parser cell_parser_;
  // Each record's DOM lives in this buffer (a monotonic resource over it,
  // per record): no allocation for records that fit, and it stays in cache.
  std::vector<unsigned char> record_memory_;
  boost::json::object extra_, uncast_;  // of the record being mapped, reused
  std::unordered_map<std::string, uint64_t> uncast_fields_;
  int64_t extracted_at_micros_ = 0;  // of the batch being mapped
  uint64_t records_ = 0;
};

}  // namespace sluice::host
