// Tables the end-to-end tests sync, with the exact values they must land as.
#pragma once

#include "fake_database.hpp"

namespace snowflake_test {

// PUBLIC.ALL_TYPES: one column of every type, two rows (values, then nulls).
void add_all_types_table(snowflake_fake::FakeDatabase& db);

// PUBLIC.ORDERS (ID NUMBER(18,0) primary key, AMOUNT NUMBER(12,2),
// UPDATED_AT TIMESTAMP_NTZ(9)): rows first..last, UPDATED_AT
// 2024-05-01 00:00:00.<id as nanoseconds>, `same` rows sharing each instant.
void add_orders_table(snowflake_fake::FakeDatabase& db, int first, int last, int same = 1);
void insert_orders(snowflake_fake::FakeDatabase& db, int first, int last, int same = 1);
// UPDATED_AT of order `id` with `same` orders per instant, as stored.
std::string order_instant(int id, int same = 1);

}  // namespace snowflake_test
