// The read-only rule of `sluice query` (issue 21, docs/query.md). Before a
// statement reaches a source, Sluice checks that it only reads. This is the
// first line; the source's own guards are the second (a read-only
// transaction or session, BigQuery's dry run of the statement type, a role
// with SELECT grants only) and the client protocol the third (PostgreSQL's
// extended protocol and MySQL without CLIENT_MULTI_STATEMENTS run one
// statement per call).
//
// The rule works on the statement's tokens, found by a lexer that knows the
// source dialect's strings, quoted names and comments (SqlLexicon below):
// never by a regular expression over the text.
//  1. Exactly one statement: a ';' outside strings, quoted names and
//     comments may be followed only by whitespace, comments and more ';'.
//       "SELECT 1; DROP TABLE t"                refused: a second statement
//       "SELECT ';' AS x"                       accepted: the ';' is in a string
//  2. It starts with SELECT or WITH, possibly after '(' and comments.
//       "/* report */ (SELECT 1)"               accepted
//       "EXPLAIN ANALYZE DELETE FROM t"         refused: starts with EXPLAIN
//  3. No word outside strings, quoted names and comments is one that writes,
//     locks or runs other statements (kRefusedWords in the .cpp: INSERT,
//     UPDATE, DELETE, MERGE, INTO, LOCK, CREATE, DROP, EXECUTE, ...), and no
//     FOR is followed by SHARE, KEY or NO (row locks). REPLACE and INSERT
//     followed by '(' are string functions and read.
//       "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d"   refused: DELETE
//       "SELECT * FROM t FOR UPDATE"            refused: UPDATE (row locks)
//       "SELECT a INTO new_table FROM t"        refused: INTO (creates a table)
//       "SELECT 'DELETE' AS verb"               accepted: in a string
//       "SELECT \"delete\" FROM t"              accepted: a quoted name
//       "SELECT REPLACE(name, 'a', 'b') FROM t" accepted: a function
//  4. A comment the dialect executes is code: MySQL and MariaDB run the text
//     of /*! ... */ and /*M! ... */, so it is lexed as statement text.
//       "SELECT 1 /*! ; DROP TABLE t */"        refused on mysql: a second statement
//  5. A string, quoted name or comment left open is refused, naming where
//     it began: what the lexer cannot close, it cannot vouch for.
//  6. Where a lexer and a server could disagree, the lexer takes the reading
//     that refuses: a dialect is marked as nesting comments or escaping with
//     backslashes only where the server always does. The plugin's session
//     pins what would change the server's reading (MySQL's sql_mode without
//     NO_BACKSLASH_ESCAPES and ANSI_QUOTES; PostgreSQL's
//     standard_conforming_strings on).
// A refusal is a QueryRefused with one line saying where and what:
// "line 1, column 12: DELETE: a query may only read (quote it if it is a name)".
#pragma once

#include "host/query/sql_lexer.hpp"

#include <string_view>

namespace sluice::host {

// Throws QueryRefused unless `sql` is one statement that only reads, by the
// rule above in `lexicon`'s dialect.
void check_read_only(std::string_view sql, const SqlLexicon& lexicon);

}  // namespace sluice::host
