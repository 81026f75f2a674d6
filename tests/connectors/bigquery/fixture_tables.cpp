#include "fixture_tables.hpp"

namespace bigquery_test {

FakeTable all_types_table() {
  FakeTable table;
  table.fields = {
      field("id", "INTEGER", "REQUIRED"), field("name", "STRING"), field("payload", "BYTES"),
      field("amount", "NUMERIC"), field("big", "BIGNUMERIC"), field("ratio", "FLOAT"),
      field("active", "BOOLEAN"), field("created_at", "TIMESTAMP"), field("day", "DATE"),
      field("at_time", "TIME"), field("local_dt", "DATETIME"), field("doc", "JSON"),
      field("place", "GEOGRAPHY"), field("tags", "STRING", "REPEATED"),
      field("customer", "RECORD", "NULLABLE",
            {field("name", "STRING"), field("since", "DATE"),
             field("address", "RECORD", "NULLABLE", {field("city", "STRING"), field("zip", "STRING")})}),
      field("lines", "RECORD", "REPEATED",
            {field("sku", "STRING"), field("qty", "INTEGER"), field("shipped_at", "TIMESTAMP")})};
  table.rows = {
      row({cell("9223372036854775807"), cell("Zoë \"quoted\" ☃"), cell("3q2+7w=="),
           cell("12345678901234567890123456789.123456789"),
           cell("-578960446186580977117854925043439539266.34992332820282019728792003956564819967"),
           cell("0.1"), cell("true"), cell("1714550000123456"), cell("2024-05-01"), cell("12:34:56.123456"),
           cell("2024-05-01T12:34:56.789"), cell(R"({"plan":"pro","limits":[1,2]})"), cell("POINT(1 2)"),
           repeated_cell({cell("a"), cell("b")}),
           record_cell({cell("Ann"), cell("2020-01-01"), record_cell({cell("Paris"), cell("75001")})}),
           repeated_cell({record_cell({cell("x-1"), cell("2"), cell("1714550000000001")}),
                          record_cell({cell("y-2"), null_cell(), null_cell()})})}),
      row({cell("-9223372036854775808"), cell(""), cell(""), cell("-0.000000001"), cell("0"), cell("-1.0E20"),
           cell("false"), cell("-1"), cell("0001-01-01"), cell("00:00:00"), cell("9999-12-31T23:59:59.999999"),
           cell("[]"), cell("LINESTRING(0 0, 1 1)"), repeated_cell({}),
           record_cell({null_cell(), null_cell(), null_cell()}), repeated_cell({})}),
      row({cell("42"), null_cell(), null_cell(), null_cell(), null_cell(), cell("NaN"), null_cell(), null_cell(),
           null_cell(), null_cell(), null_cell(), null_cell(), null_cell(), repeated_cell({}), null_cell(),
           repeated_cell({})})};
  return table;
}

json::value order_row(int64_t id, int64_t updated_micros, const std::string& amount, const std::string& status) {
  return row({cell(std::to_string(id)), cell(std::to_string(updated_micros)), cell(amount), cell(status)});
}

FakeTable orders_table(int first, int last, int ids_per_second) {
  FakeTable table;
  table.fields = {field("id", "INTEGER", "REQUIRED"), field("updated_at", "TIMESTAMP"), field("amount", "NUMERIC"),
                  field("status", "STRING")};
  for (int id = first; id <= last; ++id) {
    const int64_t second = (id + ids_per_second - 1) / ids_per_second;
    table.rows.push_back(order_row(id, kMay1Micros + second * 1'000'000, std::to_string(id) + ".50", "new"));
  }
  return table;
}

}  // namespace bigquery_test
