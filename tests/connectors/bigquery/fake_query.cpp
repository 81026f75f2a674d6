#include "fake_query.hpp"

#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>

namespace bigquery_fake {

namespace {

// Reads `literal` at `pos`, advancing past it.
bool take(std::string_view sql, size_t& pos, std::string_view literal) {
  if (sql.substr(pos, literal.size()) != literal) return false;
  pos += literal.size();
  return true;
}

// Reads a backtick-quoted identifier; escapes are refused (the connector
// never writes them).
bool take_identifier(std::string_view sql, size_t& pos, std::string& out) {
  if (pos >= sql.size() || sql[pos] != '`') return false;
  const size_t end = sql.find('`', pos + 1);
  if (end == std::string_view::npos || end == pos + 1) return false;
  out = std::string(sql.substr(pos + 1, end - pos - 1));
  if (out.find('\\') != std::string::npos) return false;
  pos = end + 1;
  return true;
}

bool take_parameter(std::string_view sql, size_t& pos, std::string& out) {
  if (!take(sql, pos, "@")) return false;
  const size_t start = pos;
  while (pos < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[pos])) || sql[pos] == '_')) ++pos;
  out = std::string(sql.substr(start, pos - start));
  return !out.empty();
}

bool take_condition(std::string_view sql, size_t& pos, Condition& out);

// `column` op @parameter, or a parenthesised condition.
bool take_operand(std::string_view sql, size_t& pos, Condition& out) {
  if (take(sql, pos, "(")) return take_condition(sql, pos, out) && take(sql, pos, ")");
  out.kind = Condition::Kind::comparison;
  if (!take_identifier(sql, pos, out.column)) return false;
  for (const char* op : {" >= ", " > ", " = "}) {
    if (take(sql, pos, op)) {
      out.op = std::string(op).substr(1, std::string(op).size() - 2);
      return take_parameter(sql, pos, out.parameter);
    }
  }
  return false;
}

// Operands joined by `junction`; a single one stands alone.
template <typename Operand>
bool take_joined(std::string_view sql, size_t& pos, std::string_view junction, Condition::Kind kind,
                 Condition& out, Operand operand) {
  Condition first;
  if (!operand(sql, pos, first)) return false;
  if (sql.substr(pos, junction.size()) != junction) {
    out = std::move(first);
    return true;
  }
  out = Condition{kind, "", "", "", {std::move(first)}};
  while (take(sql, pos, junction)) {
    if (!operand(sql, pos, out.operands.emplace_back())) return false;
  }
  return true;
}

bool take_conjunction(std::string_view sql, size_t& pos, Condition& out) {
  return take_joined(sql, pos, " AND ", Condition::Kind::all, out, take_operand);
}

bool take_condition(std::string_view sql, size_t& pos, Condition& out) {
  return take_joined(sql, pos, " OR ", Condition::Kind::any, out, take_conjunction);
}


// Sign, integer digits and fraction digits of a decimal literal.
struct Decimal {
  bool negative = false;
  std::string integer, fraction;
};

Decimal parse_decimal(std::string_view text) {
  Decimal out;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    out.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const size_t dot = text.find('.');
  out.integer = std::string(text.substr(0, dot));
  out.integer.erase(0, std::min(out.integer.find_first_not_of('0'), out.integer.size()));
  if (dot != std::string_view::npos) out.fraction = std::string(text.substr(dot + 1));
  while (!out.fraction.empty() && out.fraction.back() == '0') out.fraction.pop_back();
  if (out.integer.empty() && out.fraction.empty()) out.negative = false;
  return out;
}

int compare_decimal(std::string_view a_text, std::string_view b_text) {
  const Decimal a = parse_decimal(a_text), b = parse_decimal(b_text);
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int magnitude = 0;
  if (a.integer.size() != b.integer.size()) {
    magnitude = a.integer.size() < b.integer.size() ? -1 : 1;
  } else if (int c = a.integer.compare(b.integer); c != 0) {
    magnitude = c < 0 ? -1 : 1;
  } else if (int f = a.fraction.compare(b.fraction); f != 0) {
    magnitude = f < 0 ? -1 : 1;
  }
  return a.negative ? -magnitude : magnitude;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

// The standard name of a column or parameter type.
std::string canonical_type(const std::string& type) {
  const std::string t = upper(type);
  if (t == "INTEGER") return "INT64";
  if (t == "FLOAT") return "FLOAT64";
  if (t == "BOOLEAN") return "BOOL";
  if (t == "RECORD") return "STRUCT";
  if (t == "DECIMAL") return "NUMERIC";
  if (t == "BIGDECIMAL") return "BIGNUMERIC";
  return t;
}

// The bytes of a BYTES value, which the wire and parameters carry as
// base64 (RFC 4648 section 4, padded); nullopt when the text is not base64.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/QueryParameter ("BYTES: base64")
std::optional<std::string> base64_bytes(std::string_view text) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  uint32_t bits = 0;
  int held = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=') {
      if (i + 2 < text.size() || (i + 1 < text.size() && text[i + 1] != '=')) return std::nullopt;
      break;
    }
    const size_t digit = kAlphabet.find(text[i]);
    if (digit == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(digit);
    held += 6;
    if (held >= 8) {
      held -= 8;
      out.push_back(static_cast<char>((bits >> held) & 0xff));
    }
  }
  return out;
}

int sign_of(int order) { return order < 0 ? -1 : (order > 0 ? 1 : 0); }

// Orders two non-null wire values of a column type.
int compare_values(const std::string& type, const std::string& a, const std::string& b) {
  if (type == "INT64" || type == "TIMESTAMP") {
    const long long x = std::strtoll(a.c_str(), nullptr, 10), y = std::strtoll(b.c_str(), nullptr, 10);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (type == "FLOAT64") {
    const double x = std::strtod(a.c_str(), nullptr), y = std::strtod(b.c_str(), nullptr);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (type == "NUMERIC" || type == "BIGNUMERIC") return compare_decimal(a, b);
  if (type == "BYTES") {
    // By the bytes, not their base64 text: std::string compares as unsigned
    // char (char_traits<char>), the order GoogleSQL gives BYTES.
    const auto x = base64_bytes(a), y = base64_bytes(b);
    if (!x || !y) throw QueryError("Invalid BYTES value: not base64");
    return sign_of(x->compare(*y));
  }
  if (type == "DATETIME") {  // 'T' and ' ' both separate date and time
    std::string x = a, y = b;
    if (x.size() > 10) x[10] = 'T';
    if (y.size() > 10) y[10] = 'T';
    return x.compare(y) < 0 ? -1 : (x.compare(y) > 0 ? 1 : 0);
  }
  return a.compare(b) < 0 ? -1 : (a.compare(b) > 0 ? 1 : 0);
}

size_t column_index(const json::array& fields, const std::string& name) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].at("name").as_string() == name) return i;
  }
  throw QueryError("Unrecognized name: " + name + " at [1:1]");
}

// The cell's scalar value, or nullopt for NULL.
std::optional<std::string> cell_value(const json::value& row, size_t index) {
  const auto& v = row.at("f").as_array().at(index).at("v");
  if (v.is_string()) return std::string(v.get_string());
  return std::nullopt;
}

}  // namespace

std::optional<ParsedQuery> parse_query(std::string_view sql) {
  ParsedQuery query;
  size_t pos = 0;
  if (!take(sql, pos, "SELECT * FROM ") || !take_identifier(sql, pos, query.project) || !take(sql, pos, ".") ||
      !take_identifier(sql, pos, query.dataset) || !take(sql, pos, ".") ||
      !take_identifier(sql, pos, query.table)) {
    return std::nullopt;
  }
  if (take(sql, pos, " WHERE ")) {
    if (!take_condition(sql, pos, query.where.emplace())) return std::nullopt;
  }
  if (take(sql, pos, " ORDER BY ")) {
    do {
      if (!take_identifier(sql, pos, query.order_by.emplace_back())) return std::nullopt;
    } while (take(sql, pos, ", "));
  }
  if (pos != sql.size()) return std::nullopt;
  return query;
}

std::optional<int64_t> parse_timestamp_literal(std::string_view text) {
  if (text.ends_with("UTC")) text.remove_suffix(3);  // BigQuery's own zone spelling
  auto time = sluice::support::parse_rfc3339(text);
  if (!time) return std::nullopt;
  return time->micros;
}

namespace {

using RowTest = std::function<bool(const json::value& row)>;

// The condition as a test of a row, its columns and parameters checked
// first as BigQuery checks them before running anything.
RowTest compile(const Condition& condition, const json::array& fields, const json::array& parameters) {
  if (condition.kind != Condition::Kind::comparison) {
    std::vector<RowTest> operands;
    for (const auto& operand : condition.operands) operands.push_back(compile(operand, fields, parameters));
    const bool all = condition.kind == Condition::Kind::all;
    return [operands, all](const json::value& row) {
      for (const auto& test : operands) {
        if (test(row) != all) return !all;
      }
      return all;
    };
  }
  const size_t index = column_index(fields, condition.column);
  const std::string type = canonical_type(std::string(fields[index].at("type").as_string()));
  const json::object* parameter = nullptr;
  for (const auto& entry : parameters) {
    if (entry.at("name").as_string() == condition.parameter) parameter = &entry.as_object();
  }
  if (!parameter) throw QueryError("Query parameter '" + condition.parameter + "' not found at [1:1]");
  const std::string parameter_type = canonical_type(std::string(parameter->at("parameterType").at("type").as_string()));
  if (parameter_type != type) {
    throw QueryError("No matching signature for operator " + condition.op + " for argument types: " + type + ", " +
                     parameter_type);
  }
  std::string bound(parameter->at("parameterValue").at("value").as_string());
  if (type == "TIMESTAMP") {
    auto micros = parse_timestamp_literal(bound);
    if (!micros) throw QueryError("Invalid TIMESTAMP literal in query parameter: " + bound);
    bound = std::to_string(*micros);
  }
  const std::string op = condition.op;
  return [index, type, op, bound](const json::value& row) {
    auto value = cell_value(row, index);
    if (!value) return false;  // NULL compares to nothing
    const int order = compare_values(type, *value, bound);
    return op == ">=" ? order >= 0 : op == ">" ? order > 0 : order == 0;
  };
}

}  // namespace

QueryResult execute_query(const ParsedQuery& query, const FakeTable& table, const json::array& parameters) {
  QueryResult result;
  result.fields = table.fields;
  std::optional<RowTest> test;
  if (query.where) test = compile(*query.where, table.fields, parameters);
  result.rows.reserve(table.rows.size());
  for (const auto& row : table.rows) {
    if (!test || (*test)(row)) result.rows.push_back(&row);
  }
  std::vector<std::pair<size_t, std::string>> order;  // column index, type
  for (const auto& column : query.order_by) {
    const size_t index = column_index(table.fields, column);
    order.emplace_back(index, canonical_type(std::string(table.fields[index].at("type").as_string())));
  }
  if (order.empty()) return result;
  std::stable_sort(result.rows.begin(), result.rows.end(), [&](const json::value* a, const json::value* b) {
    for (const auto& [index, type] : order) {
      auto x = cell_value(*a, index), y = cell_value(*b, index);
      if (!x || !y) {
        if (!x && !y) continue;
        return !x;  // NULLs first
      }
      if (int c = compare_values(type, *x, *y); c != 0) return c < 0;
    }
    return false;
  });
  return result;
}

}  // namespace bigquery_fake
