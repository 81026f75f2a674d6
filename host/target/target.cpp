#include "host/target/target.hpp"

#include "host/target/identifiers.hpp"
#include "host/target/sql_state_store.hpp"
#include "host/target/upsert_sql.hpp"

#include <algorithm>

namespace sluice::host {

namespace {

constexpr const char* kStagingPrefix = "_sluice_tmp_";
constexpr size_t kRunTagSize = 8;

// The random part of a sync id ("2026-12-01T10:00:00Z-1a2b3c4d"): eight
// hex digits that tell runs apart.
std::string run_tag(const std::string& sync_id) {
  return sync_id.size() >= kRunTagSize ? sync_id.substr(sync_id.size() - kRunTagSize) : sync_id;
}

}  // namespace

Target::Target(const Dialect& dialect, std::unique_ptr<SqlConnection> connection)
    : dialect_(dialect), connection_(std::move(connection)) {
  store_ = std::make_unique<SqlStateStore>(dialect_, *connection_, qualified({"", "_sluice_state"}),
                                           qualified({"", "_sluice_syncs"}), qualified({"", "_sluice_locks"}));
}

Target::~Target() = default;

std::string Target::schema_of(const TableRef& table) const {
  if (dialect_.namespaces == NamespaceMapping::table_prefix) return "";
  return table.ns.empty() ? connection_->default_schema() : table.ns;
}

// Engines must never truncate a name silently (PostgreSQL does, MySQL
// fails): derived names are cut here, the same way everywhere.
std::string Target::physical_name(const TableRef& table) const {
  std::string name = dialect_.namespaces == NamespaceMapping::table_prefix && !table.ns.empty()
                         ? table.ns + "__" + table.name
                         : table.name;
  return fit_identifier(name, dialect_.max_identifier_bytes);
}

std::string Target::qualified(const TableRef& table) const {
  std::string schema = schema_of(table);
  return (schema.empty() ? "" : dialect_.quoted(schema) + ".") + dialect_.quoted(physical_name(table));
}

void Target::reopen_after_ddl() {
  if (in_transaction_ && !dialect_.transactional_ddl) exec(Sql(dialect_.begin));
}

std::optional<std::vector<ColumnDef>> Target::table_columns(const TableRef& table) {
  auto rows = connection_->query(dialect_.columns_query(schema_of(table), physical_name(table)));
  if (rows.empty()) return std::nullopt;
  std::vector<ColumnDef> columns;
  for (const auto& row : rows) {
    columns.push_back({"", row[0].value_or(""), dialect_.type_from_sql(row[1].value_or(""), row[2].value_or(""))});
  }
  return columns;
}

void Target::create_table(const TableRef& table, const std::vector<ColumnDef>& columns) {
  if (*dialect_.create_namespace && !table.ns.empty()) {
    exec(Sql(dialect_.create_namespace) << dialect_.quoted(table.ns) << dialect_.create_namespace_tail);
  }
  std::string sql = "CREATE TABLE " + qualified(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + dialect_.quoted(columns[i].name) + " " + dialect_.type(columns[i]);
  }
  exec(Sql(sql + ")" + dialect_.table_options));
  if (in_transaction_ && !dialect_.transactional_ddl) created_in_transaction_.push_back(table);
  reopen_after_ddl();
}

void Target::add_column(const TableRef& table, const ColumnDef& column) {
  exec(Sql("ALTER TABLE " + qualified(table) + " ADD COLUMN " + dialect_.quoted(column.name) + " " +
           dialect_.type(column)));
  reopen_after_ddl();
}

void Target::drop_table(const TableRef& table) {
  exec(Sql("DROP TABLE IF EXISTS " + qualified(table)));
  reopen_after_ddl();
}

void Target::ensure_unique_key(const TableRef& table, const std::vector<std::string>& key_columns) {
  const std::string index = fit_identifier(physical_name(table) + "__sluice_key", dialect_.max_identifier_bytes);
  if (dialect_.index_query &&
      !connection_->query(dialect_.index_query(schema_of(table), physical_name(table), index)).empty()) {
    return;
  }
  const std::string columns = quoted_list(dialect_, key_columns);
  try {
    // MariaDB 10.4+ enforces UNIQUE on TEXT columns through a hidden hash,
    // so keys of any length deduplicate exactly there too.
    exec(Sql(std::string("CREATE UNIQUE INDEX ") + (dialect_.index_query ? "" : "IF NOT EXISTS ") +
             dialect_.quoted(index) + " ON " + qualified(table) + " (" + columns + ")"));
  } catch (const TargetError& e) {
    throw TargetError("cannot deduplicate " + table.display() + " on (" + columns + "): " + e.what() +
                      "; if existing rows break the key, run a full_refresh_overwrite once or choose another "
                      "primary key");
  }
}

TableRef Target::staging_table(const TableRef& live, const std::string& sync_id) const {
  return {live.ns, fit_identifier(kStagingPrefix + run_tag(sync_id) + "_" + live.name, dialect_.max_identifier_bytes)};
}

std::vector<TableRef> Target::staging_leftovers(const TableRef& live) {
  // Names are cut to fit, so a leftover is recognised by recomputing its
  // name from the run tag it starts with, never by parsing it.
  const std::string prefix = physical_name({live.ns, kStagingPrefix});
  // Before per-run names (Sluice <= 0.3) staging was "_sluice_tmp_" + name.
  const TableRef legacy{live.ns, fit_identifier(kStagingPrefix + live.name, dialect_.max_identifier_bytes)};
  std::vector<TableRef> found;
  for (const auto& row : connection_->query(dialect_.tables_query(schema_of(live), prefix))) {
    const std::string name = row[0].value_or("");
    if (name == physical_name(legacy)) {
      found.push_back(legacy);
      continue;
    }
    if (name.size() < prefix.size() + kRunTagSize || name.compare(0, prefix.size(), prefix) != 0) continue;
    TableRef leftover = staging_table(live, name.substr(prefix.size(), kRunTagSize));
    if (physical_name(leftover) == name) found.push_back(std::move(leftover));
  }
  return found;
}

void Target::begin() {
  exec(Sql(dialect_.begin));
  in_transaction_ = true;
  created_in_transaction_.clear();
}

void Target::commit() {
  exec(Sql("COMMIT"));
  in_transaction_ = false;
  created_in_transaction_.clear();
  // A crash before these leaves staging tables that staging_leftovers
  // finds; the committed rows are complete either way.
  auto drops = std::move(drop_after_commit_);
  drop_after_commit_.clear();
  for (const auto& table : drops) drop_table(table);
}

void Target::rollback() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  drop_after_commit_.clear();
  exec(Sql("ROLLBACK"));
  // Emulated transactional DDL: what this transaction created goes too.
  auto created = std::move(created_in_transaction_);
  created_in_transaction_.clear();
  for (const auto& table : created) drop_table(table);
}

std::unique_ptr<TableWriter> Target::writer(const TableRef& table, const std::vector<ColumnDef>& columns,
                                            const WriteOptions& options) {
  WriteSpec spec;
  spec.table = qualified(table);
  spec.columns = columns;
  std::vector<std::string> names, quoted;
  for (const auto& column : columns) {
    names.push_back(column.name);
    quoted.push_back(dialect_.quoted(column.name));
  }
  spec.column_list = quoted_list(dialect_, names);
  spec.insert_head = insert_head(dialect_, spec.table, spec.column_list);
  spec.upsert = options.upsert || options.keep_existing;
  spec.keep_existing = options.keep_existing;
  if (options.keep_existing) {
    spec.key_list = quoted_list(dialect_, options.key_columns);
    spec.upsert_tail = keep_existing_tail(dialect_, spec.key_list, dialect_.quoted(options.key_columns.at(0)));
  } else if (options.upsert) {
    spec.key_list = quoted_list(dialect_, options.key_columns);
    spec.cursor = options.cursor_column.empty() ? "" : dialect_.quoted(options.cursor_column);
    spec.upsert_tail = upsert_tail(dialect_, spec.key_list, quoted, spec.cursor);
  }
  return connection_->writer(spec);
}

void Target::replace_table(const TableRef& live, const TableRef& staging) {
  if (dialect_.swap == SwapStrategy::drop_and_rename) {
    // Transactional DDL: readers keep seeing the old table until COMMIT.
    exec(Sql("DROP TABLE IF EXISTS " + qualified(live)));
    exec(Sql("ALTER TABLE " + qualified(staging) + " RENAME TO " + dialect_.quoted(physical_name(live))));
    return;
  }
  // One RENAME TABLE of both names is atomic: readers see the old table or
  // the new one, never neither. It commits the staging rows implicitly.
  const TableRef old{live.ns, fit_identifier("_sluice_old_" + live.name, dialect_.max_identifier_bytes)};
  exec(Sql("DROP TABLE IF EXISTS " + qualified(old)));  // a leftover of a run that died right here
  if (table_columns(live)) {
    exec(Sql("RENAME TABLE " + qualified(live) + " TO " + qualified(old) + ", " + qualified(staging) + " TO " +
             qualified(live)));
    drop_after_commit_.push_back(old);
  } else {
    exec(Sql("RENAME TABLE " + qualified(staging) + " TO " + qualified(live)));
  }
  created_in_transaction_.clear();  // swapped in: a rollback must not drop it
  reopen_after_ddl();
}

void Target::append_table(const TableRef& into, const TableRef& from, const std::vector<ColumnDef>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column.name);
  const std::string list = quoted_list(dialect_, names);
  // Inside the open transaction on every engine: a run killed before its
  // commit adds nothing, even while the server is still copying.
  exec(Sql("INSERT INTO " + qualified(into) + " (" + list + ") SELECT " + list + " FROM " + qualified(from)));
  if (dialect_.transactional_ddl) {
    exec(Sql("DROP TABLE " + qualified(from)));
  } else {
    // A DROP here would commit the copy early: it waits for the commit.
    drop_after_commit_.push_back(from);
  }
}

SqlRows Target::rows_by_key(const TableRef& table, const std::string& key_column,
                            const std::vector<std::string>& keys, const std::vector<std::string>& columns) {
  // Chunks keep every statement well under each engine's bound-value limit.
  constexpr size_t kKeysPerStatement = 500;
  std::string head = "SELECT " + dialect_.quoted(key_column);
  for (const auto& column : columns) head += ", " + dialect_.quoted(column);
  head += " FROM " + qualified(table) + " WHERE " + dialect_.quoted(key_column) + " IN (";
  SqlRows out;
  for (size_t first = 0; first < keys.size(); first += kKeysPerStatement) {
    Sql sql(head);
    const size_t last = std::min(keys.size(), first + kKeysPerStatement);
    for (size_t i = first; i < last; ++i) {
      if (i > first) sql << ", ";
      sql.bind(keys[i]);
    }
    sql << ")" << dialect_.current_read;
    for (auto& row : connection_->query(sql)) out.push_back(std::move(row));
  }
  return out;
}

std::string Target::lock_key(const TableRef& table) const {
  return std::string(dialect_.engine) + ":" + schema_of(table) + "." + physical_name(table);
}

}  // namespace sluice::host
