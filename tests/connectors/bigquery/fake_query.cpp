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
    if (op == ">=") return order >= 0;
    if (op == ">") return order > 0;
    if (op == "<=") return order <= 0;
    if (op == "<") return order < 0;
    if (op == "!=") return order != 0;
    return order == 0;
  };
}


const json::object* find_parameter(const json::array& parameters, const std::string& name) {
  for (const auto& entry : parameters) {
    if (entry.at("name").as_string() == name) return &entry.as_object();
  }
  return nullptr;
}

// A parameter's value as a result cell carries it (TIMESTAMP as integer
// microseconds, the int64 encoding the fake keeps).
std::string parameter_wire_value(const json::object& parameter) {
  const std::string type = canonical_type(std::string(parameter.at("parameterType").at("type").as_string()));
  std::string value(parameter.at("parameterValue").at("value").as_string());
  if (type == "TIMESTAMP") return std::to_string(*parse_timestamp_literal(value));
  if (type == "BOOL") return upper(value) == "TRUE" ? "true" : "false";
  if (type == "INT64") return std::to_string(std::stoll(value));
  return value;
}

// The REST schema's (legacy) name of a parameter type.
std::string schema_type(const std::string& type) {
  if (type == "INT64") return "INTEGER";
  if (type == "FLOAT64") return "FLOAT";
  if (type == "BOOL") return "BOOLEAN";
  return type;
}

// The select list over the rows found: new rows of the listed columns and
// parameters. BigQuery names an unnamed expression f0_, f1_...
void project(const ParsedQuery& query, const json::array& fields, const json::array& parameters,
             QueryResult& result) {
  json::array out_fields;
  size_t unnamed = 0;
  std::vector<std::pair<size_t, const json::object*>> sources;  // column index, or the parameter
  for (const auto& item : query.items) {
    if (!item.column.empty()) {
      const size_t index = column_index(fields, item.column);
      json::object field = fields[index].as_object();
      if (!item.alias.empty()) field["name"] = item.alias;
      out_fields.push_back(std::move(field));
      sources.emplace_back(index, nullptr);
    } else {
      const json::object* parameter = find_parameter(parameters, item.parameter);
      if (!parameter) throw QueryError("Query parameter '" + item.parameter + "' not found at [1:1]");
      const std::string name = item.alias.empty() ? "f" + std::to_string(unnamed++) + "_" : item.alias;
      const std::string type = canonical_type(std::string(parameter->at("parameterType").at("type").as_string()));
      out_fields.push_back(json::object{{"name", name}, {"type", schema_type(type)}, {"mode", "NULLABLE"}});
      sources.emplace_back(0, parameter);
    }
  }
  std::vector<const json::value*> from = std::move(result.rows);
  const bool no_from = query.table.empty();
  if (no_from) from = {nullptr};  // SELECT @p: one row
  result.owned.reserve(from.size());
  for (const json::value* source : from) {
    json::array cells;
    for (const auto& [index, parameter] : sources) {
      if (parameter) cells.push_back(json::object{{"v", parameter_wire_value(*parameter)}});
      else cells.push_back(source->at("f").at(index));
    }
    result.owned.push_back(json::object{{"f", std::move(cells)}});
  }
  result.rows.clear();
  for (const auto& owned : result.owned) result.rows.push_back(&owned);
  result.fields = std::move(out_fields);
}

}  // namespace

QueryResult execute_query(const ParsedQuery& query, const FakeTable& table, const json::array& parameters) {
  check_parameters(parameters);
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
  if (!order.empty()) {
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
  }
  if (query.limit && result.rows.size() > *query.limit) result.rows.resize(*query.limit);
  if (!query.items.empty()) project(query, table.fields, parameters, result);
  return result;
}


namespace {

// A user's statement as tokens: words, `quoted` names, @parameters,
// numbers and symbols, with their 1-based columns; comments skipped.
struct Token {
  enum class Kind { word, quoted, parameter, number, string, symbol, end } kind = Kind::end;
  std::string text;
  size_t at = 0;  // offset in the statement
};

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::optional<std::vector<Token>> tokenize(std::string_view sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.substr(i, 2) == "--" || c == '#') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      const size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) return std::nullopt;
      i = end + 2;
    } else if (c == '\'' || c == '"') {  // a string literal: one token, its text unread
      size_t end = i + 1;
      while (end < sql.size() && sql[end] != c) end += sql[end] == '\\' ? 2 : 1;
      if (end >= sql.size()) return std::nullopt;
      tokens.push_back({Token::Kind::string, std::string(sql.substr(i + 1, end - i - 1)), i});
      i = end + 1;
    } else if (c == '`') {
      const size_t end = sql.find('`', i + 1);
      if (end == std::string_view::npos || end == i + 1) return std::nullopt;
      tokens.push_back({Token::Kind::quoted, std::string(sql.substr(i + 1, end - i - 1)), i});
      i = end + 1;
    } else if (c == '@') {
      size_t end = i + 1;
      while (end < sql.size() && is_word_char(sql[end])) ++end;
      if (end == i + 1) return std::nullopt;
      tokens.push_back({Token::Kind::parameter, std::string(sql.substr(i + 1, end - i - 1)), i});
      i = end;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t end = i;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
      tokens.push_back({Token::Kind::number, std::string(sql.substr(i, end - i)), i});
      i = end;
    } else if (is_word_char(c)) {
      size_t end = i;
      while (end < sql.size() && is_word_char(sql[end])) ++end;
      tokens.push_back({Token::Kind::word, std::string(sql.substr(i, end - i)), i});
      i = end;
    } else {
      std::string symbol(1, c);
      for (const char* two : {">=", "<=", "!=", "<>"}) {
        if (sql.substr(i, 2) == two) symbol = two;
      }
      if (symbol == "<>") symbol = "!=";
      if (std::string_view(",.*()=<>;!").find(c) == std::string_view::npos) return std::nullopt;
      tokens.push_back({Token::Kind::symbol, symbol, i});
      i += sql.substr(i, 2) == "<>" ? 2 : symbol.size();
    }
  }
  tokens.push_back({Token::Kind::end, "", sql.size()});
  return tokens;
}

constexpr const char* kKeywords[] = {"SELECT", "FROM", "WHERE", "ORDER", "BY", "LIMIT", "AS", "AND", "OR", "ASC"};

class SelectParser {
 public:
  SelectParser(std::string_view sql, std::vector<Token> tokens, std::string default_project)
      : sql_(sql), tokens_(std::move(tokens)), default_project_(std::move(default_project)) {}

  std::optional<ParsedQuery> parse() {
    ParsedQuery query;
    if (!keyword("SELECT")) return std::nullopt;
    if (!symbol("*")) {
      do {
        SelectItem item;
        if (peek().kind == Token::Kind::parameter) {
          item.parameter = use_parameter(query);
        } else if (!name(item.column)) {
          return std::nullopt;
        }
        if (keyword("AS") && !name(item.alias)) return std::nullopt;
        query.items.push_back(std::move(item));
      } while (symbol(","));
    }
    if (keyword("FROM") && !table(query)) return std::nullopt;
    if (keyword("WHERE")) {
      if (query.table.empty() || !condition(query, query.where.emplace())) return std::nullopt;
    }
    if (keyword("ORDER")) {
      if (!keyword("BY")) return std::nullopt;
      do {
        if (!name(query.order_by.emplace_back())) return std::nullopt;
        keyword("ASC");
      } while (symbol(","));
    }
    if (keyword("LIMIT")) {
      if (peek().kind != Token::Kind::number) return std::nullopt;
      query.limit = std::stoul(next().text);
    }
    symbol(";");
    if (peek().kind != Token::Kind::end) return std::nullopt;
    return query;
  }

 private:
  const Token& peek() const { return tokens_[at_]; }
  const Token& next() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
  bool keyword(const char* word) {
    if (peek().kind != Token::Kind::word || upper(peek().text) != word) return false;
    ++at_;
    return true;
  }
  bool symbol(const char* text) {
    if (peek().kind != Token::Kind::symbol || peek().text != text) return false;
    ++at_;
    return true;
  }
  // A column or alias: a `quoted` name or a bare word that is no keyword.
  bool name(std::string& out) {
    const Token& token = peek();
    if (token.kind == Token::Kind::word) {
      for (const char* word : kKeywords) {
        if (upper(token.text) == word) return false;
      }
    } else if (token.kind != Token::Kind::quoted) {
      return false;
    }
    out = next().text;
    return true;
  }
  std::string use_parameter(ParsedQuery& query) {
    const Token& token = next();
    const size_t line_start = sql_.rfind('\n', token.at == 0 ? 0 : token.at - 1);
    const size_t line = 1 + static_cast<size_t>(std::count(sql_.begin(), sql_.begin() + static_cast<long>(token.at), '\n'));
    const size_t column = line_start == std::string_view::npos || line == 1 ? token.at + 1 : token.at - line_start;
    query.parameter_uses.push_back({token.text, line, column});
    return token.text;
  }
  // `p.d.t`, `p`.`d`.`t`, d.t...: the parts, split at dots.
  bool table(ParsedQuery& query) {
    std::vector<std::string> parts;
    do {
      const Token& token = peek();
      if (token.kind != Token::Kind::word && token.kind != Token::Kind::quoted) return false;
      std::string_view text = next().text;
      for (size_t dot; (dot = text.find('.')) != std::string_view::npos; text.remove_prefix(dot + 1)) {
        parts.emplace_back(text.substr(0, dot));
      }
      parts.emplace_back(text);
    } while (symbol("."));
    if (parts.size() == 2) parts.insert(parts.begin(), default_project_);
    if (parts.size() != 3) return false;
    for (const auto& part : parts) {
      if (part.empty()) return false;
    }
    query.project = parts[0];
    query.dataset = parts[1];
    query.table = parts[2];
    return true;
  }
  bool condition(ParsedQuery& query, Condition& out) { return joined(query, out, "OR", Condition::Kind::any); }
  bool joined(ParsedQuery& query, Condition& out, const char* junction, Condition::Kind kind) {
    Condition first;
    auto operand = [&](Condition& into) {
      return kind == Condition::Kind::any ? joined(query, into, "AND", Condition::Kind::all) : comparison(query, into);
    };
    if (!operand(first)) return false;
    if (!keyword(junction)) {
      out = std::move(first);
      return true;
    }
    out = Condition{kind, "", "", "", {std::move(first)}};
    do {
      if (!operand(out.operands.emplace_back())) return false;
    } while (keyword(junction));
    return true;
  }
  bool comparison(ParsedQuery& query, Condition& out) {
    if (symbol("(")) return condition(query, out) && symbol(")");
    out.kind = Condition::Kind::comparison;
    if (!name(out.column)) return false;
    for (const char* op : {">=", "<=", "!=", ">", "<", "="}) {
      if (symbol(op)) {
        out.op = op;
        if (peek().kind != Token::Kind::parameter) return false;  // the fake compares with parameters only
        out.parameter = use_parameter(query);
        return true;
      }
    }
    return false;
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  std::string default_project_;
  size_t at_ = 0;
};

// The first words of a statement, upper-cased, after comments.
std::vector<std::string> leading_words(std::string_view sql, size_t count) {
  std::vector<std::string> words;
  auto tokens = tokenize(sql);
  if (!tokens) return words;
  for (const auto& token : *tokens) {
    if (words.size() == count) break;
    if (token.kind == Token::Kind::word) words.push_back(upper(token.text));
    else if (token.kind == Token::Kind::symbol && token.text == "(") words.emplace_back("(");
    else break;
  }
  return words;
}

// True when a ';' outside strings and names is followed by more than
// whitespace: a script of several statements.
bool several_statements(std::string_view sql) {
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == ';') {
      return sql.find_first_not_of(" \t\r\n;", i + 1) != std::string_view::npos;
    }
  }
  return false;
}

}  // namespace

std::optional<ParsedQuery> parse_select(std::string_view sql, const std::string& default_project) {
  auto tokens = tokenize(sql);
  if (!tokens) return std::nullopt;
  return SelectParser(sql, std::move(*tokens), default_project).parse();
}

std::string statement_type(std::string_view sql) {
  const auto words = leading_words(sql, 5);
  if (words.empty()) return "";
  if (several_statements(sql)) return "SCRIPT";
  const std::string& first = words[0];
  if (first == "SELECT" || first == "WITH" || first == "(") return "SELECT";
  if (first == "INSERT" || first == "UPDATE" || first == "DELETE" || first == "MERGE") return first;
  if (first == "TRUNCATE") return "TRUNCATE_TABLE";
  if (first == "DECLARE" || first == "BEGIN" || first == "SET" || first == "IF" || first == "LOOP") return "SCRIPT";
  auto object_after = [&](size_t from) -> std::string {
    for (size_t i = from; i < words.size(); ++i) {
      if (words[i] == "OR" || words[i] == "REPLACE" || words[i] == "TEMP" || words[i] == "TEMPORARY") continue;
      return words[i];
    }
    return "";
  };
  if (first == "CREATE") {
    const std::string object = object_after(1);
    if (object == "TABLE") {
      const auto tokens = tokenize(sql);
      const bool as_select = tokens && std::any_of(tokens->begin(), tokens->end(), [](const Token& t) {
                               return t.kind == Token::Kind::word && upper(t.text) == "AS";
                             });
      return as_select ? "CREATE_TABLE_AS_SELECT" : "CREATE_TABLE";
    }
    return object.empty() ? "" : "CREATE_" + object;
  }
  if (first == "DROP" || first == "ALTER") {
    const std::string object = object_after(1);
    return object.empty() ? "" : first + "_" + object;
  }
  return "";
}

void check_parameters(const json::array& parameters) {
  static const char* const kScalars[] = {"STRING", "INT64",    "FLOAT64",  "BOOL", "DATE",    "TIMESTAMP",
                                         "NUMERIC", "BIGNUMERIC", "BYTES", "TIME", "DATETIME", "JSON"};
  for (const auto& entry : parameters) {
    const auto* object = entry.if_object();
    const auto* name = object ? object->if_contains("name") : nullptr;
    if (!name || !name->is_string() || name->get_string().empty()) {
      throw QueryError("Named query parameters must have a name");
    }
    const std::string label(name->get_string());
    const auto* type = object->if_contains("parameterType");
    const auto* type_name = type && type->is_object() ? type->get_object().if_contains("type") : nullptr;
    if (!type_name || !type_name->is_string()) throw QueryError("Query parameter '" + label + "' has no type");
    const std::string canonical = canonical_type(std::string(type_name->get_string()));
    if (std::none_of(std::begin(kScalars), std::end(kScalars), [&](const char* t) { return canonical == t; })) {
      throw QueryError("Query parameter '" + label + "' has an unsupported type: " + canonical);
    }
    const auto* value = object->if_contains("parameterValue");
    const auto* text = value && value->is_object() ? value->get_object().if_contains("value") : nullptr;
    if (!text || !text->is_string()) throw QueryError("Query parameter '" + label + "' has no value");
    const std::string v(text->get_string());
    bool valid = true;
    if (canonical == "INT64") {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      valid = ec == std::errc() && end == v.data() + v.size();
    } else if (canonical == "FLOAT64") {
      char* end = nullptr;
      std::strtod(v.c_str(), &end);
      valid = !v.empty() && end == v.c_str() + v.size();
    } else if (canonical == "BOOL") {
      valid = upper(v) == "TRUE" || upper(v) == "FALSE";
    } else if (canonical == "DATE") {
      valid = sluice::support::parse_date(v).has_value();
    } else if (canonical == "TIMESTAMP") {
      valid = parse_timestamp_literal(v).has_value();
    }
    if (!valid) throw QueryError("Invalid " + canonical + " value for query parameter '" + label + "': " + v);
  }
}

int64_t bytes_processed(const ParsedQuery& query, const StoredTable& table) {
  const auto& fields = table.table.fields;
  std::vector<bool> read(fields.size(), query.items.empty());
  auto mark = [&](const std::string& column) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].at("name").as_string() == column) read[i] = true;
    }
  };
  for (const auto& item : query.items) {
    if (!item.column.empty()) mark(item.column);
  }
  std::function<void(const Condition&)> mark_condition = [&](const Condition& condition) {
    if (condition.kind == Condition::Kind::comparison) mark(condition.column);
    for (const auto& operand : condition.operands) mark_condition(operand);
  };
  if (query.where) mark_condition(*query.where);
  for (const auto& column : query.order_by) mark(column);
  int64_t total = 0;
  for (size_t i = 0; i < read.size() && i < table.column_bytes.size(); ++i) total += read[i] ? table.column_bytes[i] : 0;
  return total;
}

QueryResult execute_query(const ParsedQuery& query, const StoredTable* table, const json::array& parameters) {
  check_parameters(parameters);
  for (const auto& use : query.parameter_uses) {
    if (!find_parameter(parameters, use.name)) {
      throw QueryError("Query parameter '" + use.name + "' not found at [" + std::to_string(use.line) + ":" +
                       std::to_string(use.column) + "]");
    }
  }
  if (!table) {
    QueryResult result;
    project(query, {}, parameters, result);
    return result;
  }
  if (table->generated_rows == 0) return execute_query(query, table->table, parameters);
  if (query.where || !query.order_by.empty() || !query.items.empty()) {
    throw QueryError("the fake reads a generated table only as SELECT * [LIMIT n]");
  }
  QueryResult result;
  result.fields = table->table.fields;
  result.generated = std::min(table->generated_rows, query.limit.value_or(SIZE_MAX));
  return result;
}

}  // namespace bigquery_fake
