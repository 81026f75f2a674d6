// The read-only rule of `sluice query` (host/query/read_only_sql.hpp), one
// test per numbered rule, each with the hostile statements it exists for, in
// every dialect whose lexer reads them differently.
#include "host/query/read_only_sql.hpp"

#include <catch2/catch.hpp>

#include <string>

using sluice::host::check_read_only;
using sluice::host::QueryRefused;
using sluice::host::sql_lexicon;

namespace {

const char* kDialects[] = {"postgresql", "mysql", "bigquery", "snowflake", "databricks"};

// "" when accepted, else the refusal's line.
std::string verdict(const std::string& sql, const char* dialect) {
  try {
    check_read_only(sql, sql_lexicon(dialect));
    return "";
  } catch (const QueryRefused& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("rule 1: exactly one statement - a semicolon outside strings and comments may end it but nothing may follow") {
  for (const char* dialect : kDialects) {
    INFO(dialect);
    CHECK(verdict("SELECT 1; DROP TABLE t", dialect) ==
          "line 1, column 11: a second statement: a query is one statement");
    CHECK(verdict("SELECT 1;\n  SELECT 2", dialect) == "line 2, column 3: a second statement: a query is one statement");
    CHECK(verdict("SELECT 1;", dialect) == "");
    CHECK(verdict("SELECT 1 ; ; -- done\n", dialect) == "");
    CHECK(verdict("SELECT ';' AS x", dialect) == "");
    CHECK(verdict("SELECT 1 /* ; DROP TABLE t */", dialect) == "");
    CHECK(verdict("SELECT 1 -- ; DROP TABLE t", dialect) == "");
    CHECK(verdict("SELECT 1 -- x\n; DROP TABLE t", dialect) ==
          "line 2, column 3: a second statement: a query is one statement");
  }
  // The same text, read by each dialect's lexer: a ';' inside a quoted name.
  CHECK(verdict("SELECT \"a;b\" FROM t", "postgresql") == "");
  CHECK(verdict("SELECT `a;b` FROM t", "mysql") == "");
  CHECK(verdict("SELECT `a;b` FROM t", "postgresql") == "line 1, column 11: a second statement: a query is one statement");
}

TEST_CASE("rule 2: it starts with SELECT or WITH, after comments and opening parentheses") {
  for (const char* dialect : kDialects) {
    INFO(dialect);
    CHECK(verdict("/* report */ (SELECT 1)", dialect) == "");
    CHECK(verdict("with recent as (select * from usage) select count(*) from recent", dialect) == "");
    CHECK(verdict("EXPLAIN ANALYZE DELETE FROM t", dialect) ==
          "line 1, column 1: EXPLAIN: a query is one SELECT or WITH statement");
    CHECK(verdict("  SET search_path = evil", dialect) == "line 1, column 3: SET: a query is one SELECT or WITH statement");
    CHECK(verdict("BEGIN", dialect) == "line 1, column 1: BEGIN: a query is one SELECT or WITH statement");
    CHECK(verdict("", dialect) == "the query is empty: give one SELECT or WITH statement");
    CHECK(verdict("-- nothing\n/* at all */", dialect) == "the query is empty: give one SELECT or WITH statement");
    CHECK(verdict(";", dialect) == "the query is empty: give one SELECT or WITH statement");
    CHECK(verdict("'SELECT 1'", dialect) == "line 1, column 1: a query is one SELECT or WITH statement");
  }
}

TEST_CASE("rule 3: no word that writes, locks or runs statements outside strings and quoted names, but string functions read") {
  for (const char* dialect : kDialects) {
    INFO(dialect);
    CHECK(verdict("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", dialect) ==
          "line 1, column 12: DELETE: a query may only read (quote it if it is a name)");
    CHECK(verdict("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", dialect) ==
          "line 1, column 22: INSERT: a query may only read (quote it if it is a name)");
    CHECK(verdict("select * from t for update", dialect) ==
          "line 1, column 21: UPDATE: a query may only read (quote it if it is a name)");
    CHECK(verdict("SELECT * FROM t FOR SHARE", dialect) == "line 1, column 17: FOR SHARE: a query may not lock rows");
    CHECK(verdict("SELECT * FROM t FOR NO KEY UPDATE", dialect) == "line 1, column 17: FOR NO: a query may not lock rows");
    CHECK(verdict("SELECT * FROM t LOCK IN SHARE MODE", dialect) ==
          "line 1, column 17: LOCK: a query may only read (quote it if it is a name)");
    CHECK(verdict("SELECT a INTO new_table FROM t", dialect) ==
          "line 1, column 10: INTO: a query may only read (quote it if it is a name)");
    CHECK(verdict("SELECT 'DELETE' AS verb, 'drop table t' AS note", dialect) == "");
    CHECK(verdict("SELECT REPLACE(name, 'a', 'b') FROM t", dialect) == "");
    CHECK(verdict("SELECT replace (name, 'a', 'b') FROM t", dialect) == "");
    CHECK(verdict("SELECT customer, SUM(units) FROM usage WHERE day >= '2026-11-01' GROUP BY 1 ORDER BY 2 DESC",
                  dialect) == "");
    // Letters glued to a number start a word: the reading that refuses (rule 6).
    CHECK(verdict("SELECT 1DELETE", dialect) ==
          "line 1, column 9: DELETE: a query may only read (quote it if it is a name)");
    CHECK(verdict("SELECT 1.5e3, 0x1F, .5 FROM t", dialect) == "");
  }
  CHECK(verdict("SELECT \"delete\" FROM t", "postgresql") == "");
  CHECK(verdict("SELECT \"delete\" FROM t", "snowflake") == "");
  CHECK(verdict("SELECT `delete` FROM t", "mysql") == "");
  CHECK(verdict("SELECT `update` FROM t", "bigquery") == "");
  CHECK(verdict("SELECT INSERT('Quadratic', 3, 4, 'What')", "mysql") == "");
}

TEST_CASE("rule 4: MySQL's executable comments are code, other comments are not") {
  CHECK(verdict("SELECT 1 /*! ; DROP TABLE t */", "mysql") ==
        "line 1, column 16: a second statement: a query is one statement");
  CHECK(verdict("SELECT 1 /*!50110 ; DROP TABLE t */", "mysql") ==
        "line 1, column 21: a second statement: a query is one statement");
  CHECK(verdict("SELECT * FROM t /*M! FOR UPDATE */", "mysql") ==
        "line 1, column 26: UPDATE: a query may only read (quote it if it is a name)");
  CHECK(verdict("SELECT /*! SQL_NO_CACHE */ * FROM t", "mysql") == "");
  CHECK(verdict("SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t", "mysql") == "");
  CHECK(verdict("SELECT 1 /*! 2", "mysql") == "line 1, column 10: an executable comment /*! is never closed");
  // Elsewhere /*! is an ordinary comment.
  CHECK(verdict("SELECT 1 /*! ; DROP TABLE t */", "postgresql") == "");
}

TEST_CASE("rule 5: a string, quoted name or comment left open is refused where it began") {
  for (const char* dialect : kDialects) {
    INFO(dialect);
    CHECK(verdict("SELECT 'abc", dialect) == "line 1, column 8: a string ' is never closed");
    CHECK(verdict("SELECT 1 /* open", dialect) == "line 1, column 10: a comment /* is never closed");
  }
  CHECK(verdict("SELECT \"abc", "postgresql") == "line 1, column 8: a quoted name \" is never closed");
  CHECK(verdict("SELECT \"abc", "mysql") == "line 1, column 8: a string \" is never closed");
  CHECK(verdict("SELECT `abc", "databricks") == "line 1, column 8: a quoted name ` is never closed");
  CHECK(verdict("SELECT $body$ abc", "postgresql") == "line 1, column 8: a dollar-quoted string $body$ is never closed");
  CHECK(verdict("SELECT '''abc'", "bigquery") == "line 1, column 8: a string ''' is never closed");
}

TEST_CASE("rule 6: each dialect's strings and comments as its server reads them, so nothing hides in them") {
  // Backslash escapes: in MySQL 'a\'' is one string; in PostgreSQL (standard
  // conforming strings) 'a\' ends at the second quote and the rest is code.
  const std::string hidden = "SELECT 'a\\'; DELETE FROM t; -- '";
  CHECK(verdict(hidden, "mysql") == "");
  CHECK(verdict(hidden, "bigquery") == "");
  CHECK(verdict(hidden, "postgresql") == "line 1, column 14: a second statement: a query is one statement");
  // ... except in PostgreSQL's E'' strings.
  CHECK(verdict("SELECT E'a\\'; DELETE FROM t; -- '", "postgresql") == "");
  CHECK(verdict("SELECT e'a\\'' AS x", "postgresql") == "");
  // Doubled quotes stay inside, everywhere.
  CHECK(verdict("SELECT 'it''s; DROP TABLE t' AS x", "postgresql") == "");
  CHECK(verdict("SELECT \"a\"\"; DROP\" FROM t", "snowflake") == "");
  // PostgreSQL nests block comments; MySQL, BigQuery and Snowflake do not, so
  // there the DELETE after the first */ is code.
  const std::string nested = "SELECT 1 /* a /* b */ DELETE FROM t */";
  CHECK(verdict(nested, "postgresql") == "");
  CHECK(verdict(nested, "mysql") == "line 1, column 23: DELETE: a query may only read (quote it if it is a name)");
  CHECK(verdict(nested, "snowflake") == "line 1, column 23: DELETE: a query may only read (quote it if it is a name)");
  // MySQL: "--" is a comment only before a space; "1--1" is arithmetic.
  CHECK(verdict("SELECT 1--1\n", "mysql") == "");
  CHECK(verdict("SELECT 1 --x; DROP TABLE t", "mysql") == "line 1, column 15: a second statement: a query is one statement");
  CHECK(verdict("SELECT 1 --x; DROP TABLE t", "postgresql") == "");
  // '#' comments in MySQL and BigQuery; an operator in PostgreSQL.
  CHECK(verdict("SELECT 1 # ; DROP TABLE t", "mysql") == "");
  CHECK(verdict("SELECT 1 # ; DROP TABLE t", "bigquery") == "");
  CHECK(verdict("SELECT 5 # 3; DROP TABLE t", "postgresql") ==
        "line 1, column 15: a second statement: a query is one statement");
  // Snowflake's // comments.
  CHECK(verdict("SELECT 1 // ; DROP TABLE t", "snowflake") == "");
  // Dollar quotes: PostgreSQL's tagged ones and Snowflake's $$; $1 is a parameter.
  CHECK(verdict("SELECT $x$ ; DROP TABLE t $x$ AS body", "postgresql") == "");
  CHECK(verdict("SELECT $$ it's; DELETE $$", "snowflake") == "");
  CHECK(verdict("SELECT * FROM t WHERE id = $1 AND day = $2", "postgresql") == "");
  // BigQuery's triple-quoted strings and backslashes in backticks.
  CHECK(verdict("SELECT '''a ' ; DELETE FROM t ''' AS x", "bigquery") == "");
  CHECK(verdict("SELECT `a\\`; DELETE` FROM t", "bigquery") == "");
  // A string in double quotes where they quote strings.
  CHECK(verdict("SELECT \"; DROP TABLE t\" AS x", "databricks") == "");
}

TEST_CASE("an unknown dialect has no lexicon") {
  CHECK_THROWS_WITH(sql_lexicon("oracle"), "no SQL lexicon for dialect oracle");
}
