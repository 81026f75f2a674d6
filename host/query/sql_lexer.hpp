// The SQL lexer of `sluice query` (docs/query.md): one lexer for every
// source dialect, told by a SqlLexicon where the dialect's strings, quoted
// names and comments begin and end. The read-only rule (read_only_sql.hpp)
// and the parameter rule (statement_parameters.hpp) both work on its tokens,
// so they never disagree about what is code and what is quoted.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// What a dialect's lexer must know to find the edges of strings, quoted
// names and comments (the differences are data; the lexer is one).
struct SqlLexicon {
  std::string_view dialect;
  bool backslash_escapes;      // '\'' does not end a '...' string
  bool double_quoted_strings;  // "..." is a string; else a quoted name
  bool backtick_names;         // `name`
  bool backslash_in_backticks; // `a\`b` is one name (BigQuery)
  bool dollar_quotes;          // $tag$ ... $tag$ (PostgreSQL; Snowflake: $$ ... $$)
  bool e_strings;              // E'...' takes backslash escapes (PostgreSQL)
  bool hash_comments;          // # to the end of the line
  bool slash_comments;         // // to the end of the line (Snowflake)
  bool dash_comment_needs_space;  // "--" starts a comment only before a space or control character (MySQL)
  bool nested_comments;        // /* /* */ */ is one comment
  bool triple_quotes;          // '''...''' and """...""" (BigQuery)
  bool executable_comments;    // /*! ... */ and /*M! ... */ are code (MySQL, MariaDB)
};

// The lexicon of "postgresql", "mysql", "bigquery", "snowflake" or
// "databricks"; throws std::invalid_argument for another name.
const SqlLexicon& sql_lexicon(std::string_view dialect);

class QueryRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One token outside strings, quoted names and comments, or a whole literal.
struct SqlToken {
  enum class Kind { word, symbol, literal } kind;
  size_t offset;     // of its first byte in the statement
  std::string text;  // a word upper-cased (as long as its source text); a symbol its character; a literal ""
};

// The statement's tokens. Throws QueryRefused for a string, quoted name or
// comment left open, naming where it began (what the lexer cannot close,
// Sluice cannot vouch for).
std::vector<SqlToken> sql_tokens(std::string_view sql, const SqlLexicon& lexicon);

// Throws QueryRefused("line L, column C: what") for `offset` in `sql`.
[[noreturn]] void refuse_at(std::string_view sql, size_t offset, const std::string& what);

// A byte that may start an unquoted name in every dialect (letters, '_',
// and any byte of a multi-byte UTF-8 character).
bool sql_word_start(unsigned char c);

}  // namespace sluice::host
