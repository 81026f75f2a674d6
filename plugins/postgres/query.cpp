#include "query.hpp"

#include "record_text.hpp"
#include "session.hpp"

#include "sql_common/query_result.hpp"

#include <cctype>

namespace postgres {

namespace {

// Built-in type OIDs (pg_type.dat), fixed since PostgreSQL 7.
constexpr Oid kText = 25, kInt8 = 20, kBool = 16, kNumeric = 1700, kDate = 1082, kTimestamptz = 1184;

// '{1,2,3}': an array literal of numbers.
template <typename Number>
std::string number_array(const std::vector<Number>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "}";
}

bool reads_as_is(const Column& column) { return select_expression(column) == quote_name(column.name, "column"); }

// The result's columns: names and type OIDs from the prepared statement,
// types from pg_type by catalog.cpp's rules.
std::vector<Column> result_columns(Session& session, const PGresult& description) {
  const int count = PQnfields(&description);
  std::vector<Oid> oids;
  std::vector<int> mods;
  for (int i = 0; i < count; ++i) {
    oids.push_back(PQftype(&description, i));
    mods.push_back(PQfmod(&description, i));
  }
  Result types = session.exec(result_types_sql(), "looking up the result's types", {number_array(oids), number_array(mods)});
  if (PQntuples(types.get()) != count) {
    throw sluice::Error(sluice::ErrorKind::source, "looking up the result's types: a type of the result is not in pg_type");
  }
  std::vector<Column> columns;
  for (int i = 0; i < count; ++i) {
    auto cell = [&](int c) { return std::string(PQgetvalue(types.get(), i, c)); };
    Column column;
    column.name = PQfname(&description, i);
    column.type = cell(0);
    column.base = cell(1);
    column.kind = kind_of(column.base, cell(2).empty() ? 'b' : cell(2)[0], cell(3).empty() ? 'U' : cell(3)[0]);
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace

std::string query_setup_sql(Flavor flavor, int64_t timeout_seconds) {
  std::string sql = begin_read_sql(flavor) + "; SET LOCAL statement_timeout = " + std::to_string(timeout_seconds * 1000);
  // Redshift has no such setting (and reads strings its own way).
  if (flavor != Flavor::redshift) sql += "; SET LOCAL standard_conforming_strings = on";
  return sql;
}

Oid parameter_type(const sluice::QueryParameter& parameter, Oid string_oid) {
  const std::string& type = parameter.type;
  if (type == "string") return string_oid;
  if (type == "integer") return kInt8;
  if (type == "number") return kNumeric;
  if (type == "boolean") return kBool;
  if (type == "date") return kDate;
  if (type == "timestamp") return kTimestamptz;
  sql_common::unknown_parameter_type(parameter);
}

std::string result_types_sql() {
  return "SELECT format_type(c.oid, c.typmod), bt.typname, bt.typtype::text, bt.typcategory::text "
         "FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS c(oid, typmod, n) "
         "JOIN pg_type t ON t.oid = c.oid "
         "JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
         "ORDER BY c.n";
}

std::string result_sql(const std::string& sql, const std::vector<Column>& columns) {
  bool as_is = true;
  for (const auto& column : columns) as_is = as_is && reads_as_is(column);
  if (as_is) return sql;
  std::string select, names;
  for (size_t i = 0; i < columns.size(); ++i) {
    Column renamed = columns[i];
    renamed.name = "c" + std::to_string(i + 1);
    select += (i ? ", " : "") + select_expression(renamed);
    names += (i ? ", " : "") + renamed.name;
  }
  size_t end = sql.size();
  while (end > 0 && (sql[end - 1] == ';' || std::isspace(static_cast<unsigned char>(sql[end - 1])))) --end;
  return "SELECT " + select + " FROM (\n" + sql.substr(0, end) + "\n) AS sluice_query(" + names + ")";
}

void run_query(const Settings& settings, const sluice::Logger& log, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx) {
  Session session(settings, log);
  const std::string setup = query_setup_sql(session.flavor(), request.timeout_seconds);
  Params params;
  for (const auto& parameter : request.parameters) params.push_back(sql_common::parameter_text(parameter));
  auto prepare = [&](Oid string_oid) {
    std::vector<Oid> types;
    for (const auto& parameter : request.parameters) types.push_back(parameter_type(parameter, string_oid));
    session.prepare("sluice_query", request.sql, types, "preparing the query");
  };
  session.exec(setup, "starting the query's read-only transaction");
  try {
    prepare(0);
  } catch (const sluice::Error& error) {
    // 42P18: a string parameter with nothing around it to type it (say,
    // alone in the select list): bound as text instead, in a new transaction.
    if (std::string(error.what()).find("(SQLSTATE 42P18)") == std::string::npos) throw;
    session.exec("ROLLBACK", "starting the query again");
    session.exec(setup, "starting the query's read-only transaction");
    prepare(kText);
  }
  Result description = session.describe("sluice_query", "describing the query's result");
  const std::vector<Column> columns = result_columns(session, *description);
  ctx.columns(sql_common::query_columns(columns, column_schema));
  std::string statement = "sluice_query";
  if (const std::string sql = result_sql(request.sql, columns); sql != request.sql) {
    // The parameters keep the types the server gave them in the statement.
    statement = "sluice_query_read";
    std::vector<Oid> types;
    for (int i = 0; i < PQnparams(description.get()); ++i) types.push_back(PQparamtype(description.get(), i));
    session.prepare(statement, sql, types, "preparing the query");
  }
  std::vector<std::optional<std::string_view>> values(columns.size());
  std::string row_text;
  session.stream_prepared(statement, params, "running the query", [&](const PGresult& row) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const int column = static_cast<int>(c);
      values[c] = PQgetisnull(&row, 0, column) ? std::nullopt
                                                : std::optional<std::string_view>(std::string_view(
                                                      PQgetvalue(&row, 0, column), PQgetlength(&row, 0, column)));
    }
    row_text.clear();
    sql_common::append_row_array(row_text, values, [&](std::string& out, size_t i, std::string_view text) {
      RecordText::append_value(out, columns[i], text);
    });
    ctx.row_serialized(row_text);
  });
  session.exec("COMMIT", "ending the query's transaction");
  ctx.facts["backend_pid"] = PQbackendPID(session.handle());
}

}  // namespace postgres
