#include "fixture_tables.hpp"

#include <cstdio>

namespace snowflake_test {

void add_all_types_table(snowflake_fake::FakeDatabase& db) {
  db.create_table("PUBLIC", "ALL_TYPES",
                  {{"ID", "NUMBER(18,0)", false},
                   {"BIG", "NUMBER(38,0)"},
                   {"PRICE", "NUMBER(10,2)"},
                   {"RATIO", "FLOAT"},
                   {"NAME", "VARCHAR"},
                   {"FLAG", "BOOLEAN"},
                   {"DAY", "DATE"},
                   {"AT_TIME", "TIME(9)"},
                   {"NTZ", "TIMESTAMP_NTZ(9)"},
                   {"LTZ", "TIMESTAMP_LTZ(9)"},
                   {"TZ", "TIMESTAMP_TZ(9)"},
                   {"DOC", "VARIANT"},
                   {"ATTRS", "OBJECT"},
                   {"TAGS", "ARRAY"},
                   {"RAW", "BINARY"},
                   {"PLACE", "GEOGRAPHY"}},
                  {"ID"});
  db.insert("PUBLIC", "ALL_TYPES",
            {{"1", "12345678901234567890123456789012345678", "5.00", "1.5", "caf\xc3\xa9 \"quoted\"", "1", "2024-05-01",
              "12:34:56.123456789", "2024-05-01 09:51:12.345678912", "2024-05-01 09:51:12.345678912",
              "2024-05-01 09:51:12.345678912 +02:00", "{\n  \"plan\": \"pro\",\n  \"seats\": 5\n}",
              "{\"a\": {\"b\": [1, 2]}}", "[\"x\", 2]", "48656C6C6F",
              "{\"coordinates\": [-122.35, 37.55], \"type\": \"Point\"}"},
             {"2", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
              std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
              std::nullopt}});
}

std::string order_instant(int id, int same) {
  char text[64];
  std::snprintf(text, sizeof text, "2024-05-01 00:00:00.%09d", (id - 1) / same + 1);
  return text;
}

void insert_orders(snowflake_fake::FakeDatabase& db, int first, int last, int same) {
  std::vector<snowflake_fake::Row> rows;
  for (int id = first; id <= last; ++id) {
    char amount[32];
    std::snprintf(amount, sizeof amount, "%d.%02d", id, id % 100);
    rows.push_back({std::to_string(id), std::string(amount), order_instant(id, same)});
  }
  db.insert("PUBLIC", "ORDERS", rows);
}

void add_orders_table(snowflake_fake::FakeDatabase& db, int first, int last, int same) {
  db.create_table("PUBLIC", "ORDERS",
                  {{"ID", "NUMBER(18,0)", false}, {"AMOUNT", "NUMBER(12,2)"}, {"UPDATED_AT", "TIMESTAMP_NTZ(9)"}},
                  {"ID"});
  insert_orders(db, first, last, same);
}

}  // namespace snowflake_test
