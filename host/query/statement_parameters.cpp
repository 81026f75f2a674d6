#include "host/query/statement_parameters.hpp"

#include <algorithm>
#include <cctype>

namespace sluice::host {

namespace {

enum class Placeholder { dollar_rank, question_per_use, at_name, colon_name };

struct Style {
  std::string_view dialect;
  Placeholder placeholder;
  bool question_is_placeholder;  // a bare '?' would be an unbound parameter
  bool at_is_placeholder;        // @name would be an unbound parameter
};

constexpr Style kStyles[] = {
    {"postgresql", Placeholder::dollar_rank, false, false},
    {"mysql", Placeholder::question_per_use, true, false},
    {"snowflake", Placeholder::question_per_use, true, false},
    {"bigquery", Placeholder::at_name, true, true},
    {"databricks", Placeholder::colon_name, true, false},
};

const Style& style_of(std::string_view dialect) {
  for (const Style& style : kStyles) {
    if (style.dialect == dialect) return style;
  }
  throw std::invalid_argument("no parameter style for dialect " + std::string(dialect));
}

// Rule 1: what may not come right before a parameter's ':'.
bool ends_an_operand(char c) {
  const auto u = static_cast<unsigned char>(c);
  return sql_word_start(u) || std::isdigit(u) || c == '$' || c == '\'' || c == '"' || c == '`' || c == ')' ||
         c == ']' || c == ':';
}

bool plain_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

BoundStatement bind_parameters(std::string_view sql, const SqlLexicon& lexicon) {
  const Style& style = style_of(lexicon.dialect);
  const std::vector<SqlToken> tokens = sql_tokens(sql, lexicon);
  BoundStatement out;
  size_t copied = 0;  // sql[0, copied) is in out.sql
  auto symbol_at = [&](size_t i, char c) {
    return i < tokens.size() && tokens[i].kind == SqlToken::Kind::symbol && tokens[i].text[0] == c;
  };
  auto adjacent_word = [&](size_t i) {
    return i + 1 < tokens.size() && tokens[i + 1].kind == SqlToken::Kind::word &&
           tokens[i + 1].offset == tokens[i].offset + 1;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const SqlToken& token = tokens[i];
    if (token.kind != SqlToken::Kind::symbol) continue;
    const size_t at = token.offset;
    if (symbol_at(i, '?') && style.question_is_placeholder) {
      refuse_at(sql, at, "?: write each parameter as :name (sluice query --param name=value binds it)");
    }
    if (symbol_at(i, '$') && style.placeholder == Placeholder::dollar_rank && i + 1 < tokens.size() &&
        tokens[i + 1].kind == SqlToken::Kind::literal && tokens[i + 1].offset == at + 1) {
      refuse_at(sql, at, "$" + std::string(1, sql[at + 1]) + "...: write each parameter as :name "
                                                             "(sluice query --param name=value binds it)");
    }
    if (symbol_at(i, '@') && style.at_is_placeholder && adjacent_word(i)) {
      const std::string name(sql.substr(at + 1, tokens[i + 1].text.size()));
      refuse_at(sql, at, "@" + name + ": write the parameter as :" + name + " (sluice turns it into @" + name + ")");
    }
    if (!symbol_at(i, ':') || !adjacent_word(i) || (at > 0 && ends_an_operand(sql[at - 1]))) continue;
    const std::string name(sql.substr(at + 1, tokens[i + 1].text.size()));
    if (!plain_name(name)) {
      refuse_at(sql, at, ":" + name + ": a parameter name is letters, digits and _ (quote it if it is not a parameter)");
    }
    const auto known = std::find(out.names.begin(), out.names.end(), name);
    const size_t rank = static_cast<size_t>(known - out.names.begin()) + 1;
    const bool first_use = known == out.names.end();
    if (first_use) out.names.push_back(name);
    out.sql.append(sql.substr(copied, at - copied));
    switch (style.placeholder) {
      case Placeholder::dollar_rank:
        out.sql += "$" + std::to_string(rank);
        if (first_use) out.order.push_back(name);
        break;
      case Placeholder::question_per_use:
        out.sql += "?";
        out.order.push_back(name);
        break;
      case Placeholder::at_name:
        out.sql += "@" + name;
        if (first_use) out.order.push_back(name);
        break;
      case Placeholder::colon_name:
        out.sql += ":" + name;
        if (first_use) out.order.push_back(name);
        break;
    }
    copied = at + 1 + name.size();
    ++i;  // the name
  }
  out.sql.append(sql.substr(copied));
  return out;
}

}  // namespace sluice::host
