// Tables the end-to-end tests sync, with the exact values they must land as.
#pragma once

#include "fake_warehouse.hpp"

#include <string>

namespace databricks_test {

// sales.all_types: one column of every type, two rows (values, then nulls).
void add_all_types_table(databricks_fake::FakeWarehouse& warehouse);

// sales.orders (id BIGINT primary key, amount DECIMAL(12,2), updated_at
// TIMESTAMP): rows first..last, updated_at 2024-05-01 00:00:00.<id as
// microseconds>, `same` rows sharing each instant.
void add_orders_table(databricks_fake::FakeWarehouse& warehouse, int first, int last, int same = 1);
void insert_orders(databricks_fake::FakeWarehouse& warehouse, int first, int last, int same = 1);
// updated_at of order `id` as stored ('YYYY-MM-DD HH:MM:SS.ffffff').
std::string order_instant(int id, int same = 1);

}  // namespace databricks_test
