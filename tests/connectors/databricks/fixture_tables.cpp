#include "fixture_tables.hpp"

#include <cstdio>

namespace databricks_test {

void add_all_types_table(databricks_fake::FakeWarehouse& warehouse) {
  warehouse.create_table("sales", "all_types",
                         {{"id", "BIGINT", false},
                          {"big", "BIGINT"},
                          {"small", "SMALLINT"},
                          {"price", "DECIMAL(38,10)"},
                          {"ratio", "DOUBLE"},
                          {"name", "STRING"},
                          {"flag", "BOOLEAN"},
                          {"day", "DATE"},
                          {"at", "TIMESTAMP"},
                          {"local_at", "TIMESTAMP_NTZ"},
                          {"raw", "BINARY"},
                          {"tags", "ARRAY<STRING>"},
                          {"attrs", "MAP<STRING,INT>"},
                          {"address", "STRUCT<city:STRING,zip:STRING>"},
                          {"doc", "VARIANT"},
                          {"wait", "INTERVAL DAY TO SECOND"}},
                         {"id"});
  warehouse.insert("sales", "all_types",
                   {{"1", "9223372036854775807", "-32768", "1234567890123456789012345678.0123456789", "1.5",
                     "caf\xc3\xa9 \"quoted\"", "1", "2024-02-29", "2024-05-01 09:51:12.345678",
                     "2024-05-01 09:51:12.000001", "48656C6C6F", "[\"x\",\"y\"]", "{\"a\":1,\"b\":2}",
                     "{\"city\":\"Lyon\",\"zip\":\"69001\"}", "{\n  \"plan\": \"pro\",\n  \"seats\": 5\n}",
                     "1 02:03:04.000000000"},
                    {"2", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                     std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                     std::nullopt, std::nullopt}});
}

std::string order_instant(int id, int same) {
  char text[64];
  std::snprintf(text, sizeof text, "2024-05-01 00:00:00.%06d", (id - 1) / same + 1);
  return text;
}

void insert_orders(databricks_fake::FakeWarehouse& warehouse, int first, int last, int same) {
  std::vector<databricks_fake::Row> rows;
  for (int id = first; id <= last; ++id) {
    char amount[32];
    std::snprintf(amount, sizeof amount, "%d.%02d", id, id % 100);
    rows.push_back({std::to_string(id), std::string(amount), order_instant(id, same)});
  }
  warehouse.insert("sales", "orders", rows);
}

void add_orders_table(databricks_fake::FakeWarehouse& warehouse, int first, int last, int same) {
  warehouse.create_table("sales", "orders", {{"id", "BIGINT", false}, {"amount", "DECIMAL(12,2)"}, {"updated_at", "TIMESTAMP"}},
                         {"id"});
  insert_orders(warehouse, first, last, same);
}

}  // namespace databricks_test
