#include "host/query/sql_lexer.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host {

namespace {

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

class Lexer {
 public:
  Lexer(std::string_view sql, const SqlLexicon& lexicon) : sql_(sql), lex_(lexicon) {}

  std::vector<SqlToken> tokens() {
    std::vector<SqlToken> out;
    while (auto token = next()) out.push_back(std::move(*token));
    if (executable_depth_ > 0) refuse(executable_start_, "an executable comment /*! is never closed");
    return out;
  }

  [[noreturn]] void refuse(size_t offset, const std::string& what) const { refuse_at(sql_, offset, what); }

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

  std::optional<SqlToken> next() {
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
        return SqlToken{SqlToken::Kind::literal, start, ""};
      } else if (c == '"') {
        if (lex_.double_quoted_strings) {
          if (lex_.triple_quotes && at("\"\"\"")) skip_quoted("\"\"\"", lex_.backslash_escapes, "a string");
          else skip_quoted("\"", lex_.backslash_escapes, "a string");
        } else {
          skip_quoted("\"", false, "a quoted name");
        }
        return SqlToken{SqlToken::Kind::literal, start, ""};
      } else if (c == '`' && lex_.backtick_names) {
        skip_quoted("`", lex_.backslash_in_backticks, "a quoted name");
        return SqlToken{SqlToken::Kind::literal, start, ""};
      } else if (c == '$' && lex_.dollar_quotes && skip_dollar_quote()) {
        return SqlToken{SqlToken::Kind::literal, start, ""};
      } else if (std::isdigit(c) || (c == '.' && std::isdigit(peek(1)))) {
        skip_number();
        return SqlToken{SqlToken::Kind::literal, start, ""};
      } else if (word_start(c)) {
        while (pos_ < sql_.size() && word_char(peek())) ++pos_;
        const std::string_view word = sql_.substr(start, pos_ - start);
        // E'...' (PostgreSQL) takes backslash escapes; other prefixes
        // (N, X, B, r, b, _utf8mb4) keep the dialect's string rule.
        if (lex_.e_strings && (word == "E" || word == "e") && peek() == '\'') e_prefix_ = pos_;
        return SqlToken{SqlToken::Kind::word, start, upper(word)};
      } else {
        ++pos_;
        return SqlToken{SqlToken::Kind::symbol, start, std::string(1, static_cast<char>(c))};
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

bool sql_word_start(unsigned char c) { return word_start(c); }

[[noreturn]] void refuse_at(std::string_view sql, size_t offset, const std::string& what) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < sql.size(); ++i) {
    if (sql[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  throw QueryRefused("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what);
}

std::vector<SqlToken> sql_tokens(std::string_view sql, const SqlLexicon& lexicon) {
  return Lexer(sql, lexicon).tokens();
}

}  // namespace sluice::host
