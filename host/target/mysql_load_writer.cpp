#include "host/target/mysql_load_writer.hpp"

#include "host/target/tsv_rows.hpp"

namespace sluice::host {

MysqlLoadWriter::MysqlLoadWriter(MysqlConnection& connection, const WriteSpec& spec)
    : connection_(connection), columns_(spec.columns) {
  // The file name is a placeholder: the client reads from memory.
  load_sql_ = "LOAD DATA LOCAL INFILE 'sluice-batch' INTO TABLE " + spec.table +
              " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (" +
              spec.column_list + ")";
}

void MysqlLoadWriter::write(const RowBatch& batch) {
  if (batch.rows == 0) return;
  buffer_.clear();
  append_tsv_rows(buffer_, batch, columns_, kMysqlTsv);
  connection_.load_data(load_sql_, buffer_);
}

}  // namespace sluice::host
