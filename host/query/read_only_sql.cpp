#include "host/query/read_only_sql.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
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

constexpr SqlLexicon kLexicons[] = {
    // dialect       backslash dq-str backtick bs-btick dollar  e-str  hash   slash  dash-sp nested triple exec
    {"postgresql",   false,    false, false,   false,   true,   true,  false, false, false,  true,  false, false},
    {"mysql",        true,     true,  true,    false,   false,  false, true,  false, true,   false, false, true},
    {"bigquery",     true,     true,  true,    true,    false,  false, true,  false, false,  false, true,  false},
    {"snowflake",    true,     false, false,   false,   true,   false, false, true,  false,  false, false, false},
    {"databricks",   true,     true,  true,    false,   false,  false, false, false, false,  false, false, false},
};

bool word_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool word_char(unsigned char c) { return word_start(c) || std::isdigit(c) || c == '$'; }

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

struct Token {
  enum class Kind { word, symbol, literal } kind;
  size_t offset;
  std::string text;  // a word upper-cased; a symbol its character; a literal ""
};

class Lexer {
 public:
  Lexer(std::string_view sql, const SqlLexicon& lexicon) : sql_(sql), lex_(lexicon) {}

  std::vector<Token> tokens() {
    std::vector<Token> out;
    while (auto token = next()) out.push_back(std::move(*token));
    if (executable_depth_ > 0) refuse(executable_start_, "an executable comment /*! is never closed");
    return out;
  }

  [[noreturn]] void refuse(size_t offset, const std::string& what) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && i < sql_.size(); ++i) {
      if (sql_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw QueryRefused("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what);
  }

 private:
  bool at(std::string_view text) const { return sql_.substr(pos_, text.size()) == text; }
  unsigned char peek(size_t ahead = 0) const {
    return pos_ + ahead < sql_.size() ? static_cast<unsigned char>(sql_[pos_ + ahead]) : 0;
  }

  void skip_line() {
    const size_t end = sql_.find('\n', pos_);
    pos_ = end == std::string_view::npos ? sql_.size() : end + 1;
  }

  void skip_block_comment() {
    const size_t start = pos_;
    pos_ += 2;
    int depth = 1;
    while (pos_ < sql_.size()) {
      if (at("*/")) {
        pos_ += 2;
        if (--depth == 0) return;
      } else if (lex_.nested_comments && at("/*")) {
        pos_ += 2;
        ++depth;
      } else {
        ++pos_;
      }
    }
    refuse(start, "a comment /* is never closed");
  }

  // From an opening `close` (1 or 3 characters) to its match: a doubled
  // single-character close and, with `backslash`, a backslash-escaped
  // character stay inside.
  void skip_quoted(std::string_view close, bool backslash, const char* what) {
    const size_t start = pos_;
    pos_ += close.size();
    while (pos_ < sql_.size()) {
      if (backslash && sql_[pos_] == '\\') {
        pos_ += 2;
      } else if (at(close)) {
        pos_ += close.size();
        if (close.size() == 1 && at(close)) {
          ++pos_;  // doubled: still inside
          continue;
        }
        return;
      } else {
        ++pos_;
      }
    }
    refuse(start, std::string(what) + " " + std::string(close) + " is never closed");
  }

  // At '$': a dollar-quoted string ($$...$$, or $tag$...$tag$ where tags
  // are allowed) if one opens here; false for a parameter ($1) or variable.
  bool skip_dollar_quote() {
    size_t end = pos_ + 1;
    if (lex_.dialect == "postgresql" && end < sql_.size() && word_start(static_cast<unsigned char>(sql_[end]))) {
      while (end < sql_.size() && word_char(static_cast<unsigned char>(sql_[end])) && sql_[end] != '$') ++end;
    }
    if (end >= sql_.size() || sql_[end] != '$') return false;
    const std::string_view tag = sql_.substr(pos_, end - pos_ + 1);
    const size_t close = sql_.find(tag, end + 1);
    if (close == std::string_view::npos) refuse(pos_, "a dollar-quoted string " + std::string(tag) + " is never closed");
    pos_ = close + tag.size();
    return true;
  }

  void skip_number() {
    if (at("0x") || at("0X")) {
      pos_ += 2;
      while (std::isxdigit(peek())) ++pos_;
      return;
    }
    while (std::isdigit(peek()) || peek() == '.') ++pos_;
    if ((peek() == 'e' || peek() == 'E') &&
        (std::isdigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && std::isdigit(peek(2))))) {
      pos_ += 2;
      while (std::isdigit(peek())) ++pos_;
    }
    // Letters right after a number start a word of their own: "1DELETE"
    // is refused as DELETE (rule 6: the reading that refuses).
  }

  std::optional<Token> next() {
    while (pos_ < sql_.size()) {
      const unsigned char c = peek();
      const size_t start = pos_;
      if (std::isspace(c)) {
        ++pos_;
      } else if (at("--") && (!lex_.dash_comment_needs_space || peek(2) == 0 || std::isspace(peek(2)) ||
                              std::iscntrl(peek(2)))) {
        skip_line();
      } else if ((c == '#' && lex_.hash_comments) || (at("//") && lex_.slash_comments)) {
        skip_line();
      } else if (lex_.executable_comments && (at("/*!") || at("/*M!"))) {
        // Rule 4: the text is code; MySQL's comments do not nest, so the
        // next "*/" outside strings ends it. A version number may follow "!".
        pos_ += at("/*!") ? 3 : 4;
        while (std::isdigit(peek())) ++pos_;
        if (executable_depth_++ == 0) executable_start_ = start;
      } else if (at("*/") && executable_depth_ > 0) {
        pos_ += 2;
        --executable_depth_;
      } else if (at("/*")) {
        skip_block_comment();
      } else if (c == '\'') {
        const bool e_string = e_prefix_ == start;
        if (lex_.triple_quotes && at("'''")) skip_quoted("'''", lex_.backslash_escapes, "a string");
        else skip_quoted("'", lex_.backslash_escapes || e_string, "a string");
        return Token{Token::Kind::literal, start, ""};
      } else if (c == '"') {
        if (lex_.double_quoted_strings) {
          if (lex_.triple_quotes && at("\"\"\"")) skip_quoted("\"\"\"", lex_.backslash_escapes, "a string");
          else skip_quoted("\"", lex_.backslash_escapes, "a string");
        } else {
          skip_quoted("\"", false, "a quoted name");
        }
        return Token{Token::Kind::literal, start, ""};
      } else if (c == '`' && lex_.backtick_names) {
        skip_quoted("`", lex_.backslash_in_backticks, "a quoted name");
        return Token{Token::Kind::literal, start, ""};
      } else if (c == '$' && lex_.dollar_quotes && skip_dollar_quote()) {
        return Token{Token::Kind::literal, start, ""};
      } else if (std::isdigit(c) || (c == '.' && std::isdigit(peek(1)))) {
        skip_number();
        return Token{Token::Kind::literal, start, ""};
      } else if (word_start(c)) {
        while (pos_ < sql_.size() && word_char(peek())) ++pos_;
        const std::string_view word = sql_.substr(start, pos_ - start);
        // E'...' (PostgreSQL) takes backslash escapes; other prefixes
        // (N, X, B, r, b, _utf8mb4) keep the dialect's string rule.
        if (lex_.e_strings && (word == "E" || word == "e") && peek() == '\'') e_prefix_ = pos_;
        return Token{Token::Kind::word, start, upper(word)};
      } else {
        ++pos_;
        return Token{Token::Kind::symbol, start, std::string(1, static_cast<char>(c))};
      }
    }
    return std::nullopt;
  }

  std::string_view sql_;
  const SqlLexicon& lex_;
  size_t pos_ = 0;
  size_t e_prefix_ = std::string_view::npos;  // where an E'...' string's quote is
  int executable_depth_ = 0;
  size_t executable_start_ = 0;
};

}  // namespace

const SqlLexicon& sql_lexicon(std::string_view dialect) {
  for (const auto& lexicon : kLexicons) {
    if (lexicon.dialect == dialect) return lexicon;
  }
  throw std::invalid_argument("no SQL lexicon for dialect " + std::string(dialect));
}

void check_read_only(std::string_view sql, const SqlLexicon& lexicon) {
  Lexer lexer(sql, lexicon);
  const std::vector<Token> tokens = lexer.tokens();
  auto is_symbol = [&](size_t i, char c) {
    return i < tokens.size() && tokens[i].kind == Token::Kind::symbol && tokens[i].text[0] == c;
  };

  size_t first = 0;
  while (is_symbol(first, '(')) ++first;
  if (tokens.empty() || first == tokens.size() || is_symbol(first, ';')) {
    throw QueryRefused("the query is empty: give one SELECT or WITH statement");
  }
  const Token& lead = tokens[first];
  if (lead.kind != Token::Kind::word || (lead.text != "SELECT" && lead.text != "WITH")) {
    lexer.refuse(lead.offset, (lead.kind == Token::Kind::word ? lead.text + ": " : std::string()) +
                                  "a query is one SELECT or WITH statement");
  }

  bool ended = false;  // a ';' has closed the statement
  for (size_t i = first; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (is_symbol(i, ';')) {
      ended = true;
      continue;
    }
    if (ended) lexer.refuse(token.offset, "a second statement: a query is one statement");
    if (token.kind != Token::Kind::word) continue;
    if (contains(kRefusedWords, token.text) && !(contains(kFunctionWords, token.text) && is_symbol(i + 1, '('))) {
      lexer.refuse(token.offset, token.text + ": a query may only read (quote it if it is a name)");
    }
    if (token.text == "FOR" && i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::word &&
        contains(kLockAfterFor, tokens[i + 1].text)) {
      lexer.refuse(token.offset, "FOR " + tokens[i + 1].text + ": a query may not lock rows");
    }
  }
}

}  // namespace sluice::host
