#include "host/target/target_check.hpp"

#include "host/target/identifiers.hpp"

#include <random>

namespace sluice::host {

std::string check_target(const std::string& url, const std::string& ns) {
  auto target = open_target(url);
  std::random_device random;
  const std::string name = "_sluice_check_" + std::to_string(random() % 1000000000u);
  const TableRef table{ns.empty() ? "" : normalize_identifier(ns, target->max_identifier_bytes()), name};
  const std::string where = table.display() + " in " + target->display_url();
  try {
    target->create_table(table, {{"", "id", ColumnType::integer}});
  } catch (const std::exception& e) {
    throw TargetError("cannot create a table (" + where + "): " + e.what());
  }
  try {
    target->drop_table(table);
  } catch (const std::exception& e) {
    throw TargetError("created but cannot drop the check table " + where + ": " + e.what());
  }
  return target->display_url() + " is reachable and accepts new tables" +
         (table.ns.empty() ? "" : " in " + table.ns);
}

}  // namespace sluice::host
