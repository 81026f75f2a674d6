// Fuzz target: the read-only rule of `sluice query` (host/query/read_only_sql).
// The first byte picks the dialect, the rest is the statement. QueryRefused is
// the documented refusal; any other exception is a finding. And a property:
// a statement the rule accepts can hide nothing after it, so the same
// statement followed by "\n; DELETE FROM t" must be refused in its dialect
// (a newline ends a line comment; an accepted statement leaves no string,
// quoted name or comment open).
#include "host/query/read_only_sql.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* kDialects[] = {"postgresql", "mysql", "bigquery", "snowflake", "databricks"};
  if (size == 0) return 0;
  const auto& lexicon = sluice::host::sql_lexicon(kDialects[data[0] % 5]);
  const std::string sql(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    sluice::host::check_read_only(sql, lexicon);
  } catch (const sluice::host::QueryRefused&) {
    return 0;
  }
  try {
    sluice::host::check_read_only(sql + "\n; DELETE FROM t", lexicon);
  } catch (const sluice::host::QueryRefused&) {
    return 0;
  }
  std::fprintf(stderr, "accepted a statement followed by a DELETE (dialect %s)\n", kDialects[data[0] % 5]);
  std::abort();
}
