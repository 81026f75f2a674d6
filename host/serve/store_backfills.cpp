// The store's backfill records (store.hpp, BackfillRow): SQL both store
// engines accept, values always bound.
#include "host/serve/store.hpp"
#include "host/serve/store_cells.hpp"

#include "host/target/sql.hpp"
#include "host/target/sql_connection.hpp"

namespace sluice::host::serve {

namespace {

const char* kBackfillColumns =
    "id, stream, state, range_from, range_to, customer, created_by, "
    "created_at, rows_replaced, rows_inserted, "
    "reverted_by, reverted_at";

BackfillRow backfill_of(const std::vector<std::optional<std::string>>& r) {
  BackfillRow row;
  row.id = text(r[0]);
  row.stream = text(r[1]);
  row.state = text(r[2]);
  row.range_from = text(r[3]);
  row.range_to = text(r[4]);
  row.customer = r[5];
  row.created_by = text(r[6]);
  row.created_at = text(r[7]);
  row.rows_replaced = number(r[8]);
  row.rows_inserted = number(r[9]);
  row.reverted_by = text(r[10]);
  row.reverted_at = text(r[11]);
  return row;
}

}  // namespace

void Store::insert_backfill(const BackfillRow& row) {
  std::lock_guard lock(mutex_);
  Sql sql(std::string("INSERT INTO sluice_ingest_backfills (") + kBackfillColumns + ") VALUES (");
  for (const std::string* value : {&row.id, &row.stream, &row.state, &row.range_from, &row.range_to}) {
    sql.bind(*value) << ", ";
  }
  if (row.customer)
    sql.bind(*row.customer) << ", ";
  else
    sql << "NULL, ";
  sql.bind(row.created_by) << ", ";
  sql.bind(row.created_at) << ", ";
  sql.bind(std::to_string(row.rows_replaced)) << ", ";
  sql.bind(std::to_string(row.rows_inserted)) << ", NULL, NULL)";
  db_->execute(sql);
}

std::optional<BackfillRow> Store::backfill(const std::string& stream, const std::string& id) {
  std::lock_guard lock(mutex_);
  Sql sql(std::string("SELECT ") + kBackfillColumns + " FROM sluice_ingest_backfills WHERE stream = ");
  sql.bind(stream) << " AND id = ";
  sql.bind(id);
  SqlRows rows = db_->query(sql);
  if (rows.empty()) return std::nullopt;
  return backfill_of(rows[0]);
}

std::vector<BackfillRow> Store::backfills(const std::string& stream) {
  std::lock_guard lock(mutex_);
  Sql sql(std::string("SELECT ") + kBackfillColumns + " FROM sluice_ingest_backfills WHERE stream = ");
  sql.bind(stream) << " ORDER BY created_at DESC, id DESC";
  std::vector<BackfillRow> out;
  for (const auto& r : db_->query(sql)) out.push_back(backfill_of(r));
  return out;
}

void Store::update_backfill(const BackfillRow& row) {
  std::lock_guard lock(mutex_);
  Sql sql("UPDATE sluice_ingest_backfills SET state = ");
  sql.bind(row.state) << ", rows_replaced = ";
  sql.bind(std::to_string(row.rows_replaced)) << ", rows_inserted = ";
  sql.bind(std::to_string(row.rows_inserted)) << ", reverted_by = ";
  if (row.reverted_by.empty())
    sql << "NULL";
  else
    sql.bind(row.reverted_by);
  sql << ", reverted_at = ";
  if (row.reverted_at.empty())
    sql << "NULL";
  else
    sql.bind(row.reverted_at);
  sql << " WHERE id = ";
  sql.bind(row.id);
  db_->execute(sql);
}

void Store::delete_backfill(const std::string& id) {
  std::lock_guard lock(mutex_);
  Sql sql("DELETE FROM sluice_ingest_backfills WHERE id = ");
  sql.bind(id);
  db_->execute(sql);
}

}  // namespace sluice::host::serve
