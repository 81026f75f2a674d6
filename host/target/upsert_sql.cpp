#include "host/target/upsert_sql.hpp"

namespace sluice::host {

std::string quoted_list(const Dialect& dialect, const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + dialect.quoted(names[i]);
  return out;
}

std::string insert_head(const Dialect& dialect, const std::string& qualified_table, const std::string& column_list) {
  const char* alias = dialect.upsert == UpsertStyle::on_conflict ? " AS t" : "";
  return "INSERT INTO " + qualified_table + alias + " (" + column_list + ")";
}

std::string upsert_tail(const Dialect& dialect, const std::string& key_list, const std::vector<std::string>& columns,
                        const std::string& cursor) {
  std::string out;
  if (dialect.upsert == UpsertStyle::on_conflict) {
    out = " ON CONFLICT (" + key_list + ") DO UPDATE SET ";
    for (size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + columns[i] + " = excluded." + columns[i];
    if (!cursor.empty()) {
      out += " WHERE t." + cursor + " IS NULL OR (excluded." + cursor + " IS NOT NULL AND excluded." + cursor +
             " >= t." + cursor + ")";
    }
    return out;
  }
  // ON DUPLICATE KEY UPDATE: assignments run left to right and later ones
  // see earlier results, so the cursor column is assigned last and every
  // condition reads the stored cursor.
  out = " ON DUPLICATE KEY UPDATE ";
  const std::string condition =
      cursor.empty() ? "" : "(" + cursor + " IS NULL OR (VALUES(" + cursor + ") IS NOT NULL AND VALUES(" + cursor +
                                ") >= " + cursor + "))";
  auto assignment = [&](const std::string& column) {
    return condition.empty() ? column + " = VALUES(" + column + ")"
                             : column + " = IF(" + condition + ", VALUES(" + column + "), " + column + ")";
  };
  std::string assignments;
  for (const auto& column : columns) {
    if (column == cursor) continue;
    assignments += (assignments.empty() ? "" : ", ") + assignment(column);
  }
  if (!cursor.empty()) assignments += (assignments.empty() ? "" : ", ") + assignment(cursor);
  return out + assignments;
}

std::string keep_existing_tail(const Dialect& dialect, const std::string& key_list, const std::string& first_key) {
  if (dialect.upsert == UpsertStyle::on_conflict) return " ON CONFLICT (" + key_list + ") DO NOTHING";
  return " ON DUPLICATE KEY UPDATE " + first_key + " = " + first_key;
}

}  // namespace sluice::host
