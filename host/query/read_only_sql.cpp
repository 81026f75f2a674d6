#include "host/query/read_only_sql.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace sluice::host {

namespace {

// Words that write, lock or run other statements (rule 3). Statement-level
// words (SET, BEGIN, VACUUM...) are caught by rules 1 and 2; these are the
// ones that can hide inside a SELECT or WITH, plus DDL for a clear message.
constexpr std::array<std::string_view, 17> kRefusedWords = {
    "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "INTO", "CREATE", "DROP",
    "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COPY", "CALL", "EXECUTE", "LOCK"};
// Refused words that are also string functions: REPLACE(s, a, b), MySQL's
// INSERT(s, pos, len, new). Followed by '(' they read.
constexpr std::array<std::string_view, 2> kFunctionWords = {"REPLACE", "INSERT"};
// FOR followed by one of these is a row lock (FOR SHARE, FOR KEY SHARE,
// FOR NO KEY UPDATE); FOR UPDATE is caught by UPDATE itself.
constexpr std::array<std::string_view, 3> kLockAfterFor = {"SHARE", "KEY", "NO"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

}  // namespace

void check_read_only(std::string_view sql, const SqlLexicon& lexicon) {
  const std::vector<SqlToken> tokens = sql_tokens(sql, lexicon);
  auto is_symbol = [&](size_t i, char c) {
    return i < tokens.size() && tokens[i].kind == SqlToken::Kind::symbol && tokens[i].text[0] == c;
  };

  size_t first = 0;
  while (is_symbol(first, '(')) ++first;
  if (tokens.empty() || first == tokens.size() || is_symbol(first, ';')) {
    throw QueryRefused("the query is empty: give one SELECT or WITH statement");
  }
  const SqlToken& lead = tokens[first];
  if (lead.kind != SqlToken::Kind::word || (lead.text != "SELECT" && lead.text != "WITH")) {
    refuse_at(sql, lead.offset, (lead.kind == SqlToken::Kind::word ? lead.text + ": " : std::string()) +
                                  "a query is one SELECT or WITH statement");
  }

  bool ended = false;  // a ';' has closed the statement
  for (size_t i = first; i < tokens.size(); ++i) {
    const SqlToken& token = tokens[i];
    if (is_symbol(i, ';')) {
      ended = true;
      continue;
    }
    if (ended) refuse_at(sql, token.offset, "a second statement: a query is one statement");
    if (token.kind != SqlToken::Kind::word) continue;
    if (contains(kRefusedWords, token.text) && !(contains(kFunctionWords, token.text) && is_symbol(i + 1, '('))) {
      refuse_at(sql, token.offset, token.text + ": a query may only read (quote it if it is a name)");
    }
    if (token.text == "FOR" && i + 1 < tokens.size() && tokens[i + 1].kind == SqlToken::Kind::word &&
        contains(kLockAfterFor, tokens[i + 1].text)) {
      refuse_at(sql, token.offset, "FOR " + tokens[i + 1].text + ": a query may not lock rows");
    }
  }
}

}  // namespace sluice::host
