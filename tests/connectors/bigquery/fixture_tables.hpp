// The tables the end-to-end tests load into the fake: one with every
// BigQuery type (nested and repeated too), and an orders table for
// incremental reads.
#pragma once

#include "fake_tables.hpp"

#include <string>

namespace bigquery_test {

using namespace bigquery_fake;

// Columns: id INT64 REQUIRED, name STRING, payload BYTES, amount NUMERIC,
// big BIGNUMERIC, ratio FLOAT64, active BOOL, created_at TIMESTAMP,
// day DATE, at_time TIME, local_dt DATETIME, doc JSON, place GEOGRAPHY,
// tags STRING REPEATED, customer RECORD{name STRING, since DATE,
// address RECORD{city STRING, zip STRING}}, lines RECORD REPEATED{sku
// STRING, qty INT64, shipped_at TIMESTAMP}. Three rows, the last mostly NULL.
FakeTable all_types_table();

// orders: id INT64 REQUIRED, updated_at TIMESTAMP, amount NUMERIC, status
// STRING; rows id=first..last, updated_at = 2024-05-01T00:00:00Z + id
// seconds, or `ids_per_second` ids per second (ids 1-2 at 1 s, 3-4 at 2 s...
// for 2): rows share cursor values.
FakeTable orders_table(int first, int last, int ids_per_second = 1);
json::value order_row(int64_t id, int64_t updated_micros, const std::string& amount, const std::string& status);

// 2024-05-01T00:00:00Z in microseconds.
inline constexpr int64_t kMay1Micros = 1714521600000000;

}  // namespace bigquery_test
