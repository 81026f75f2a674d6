#include "host/target/sqlite_connection.hpp"

#include "host/target/advisory_lock.hpp"
#include "host/target/sqlite_table_writer.hpp"
#include "host/target/target.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>

namespace sluice::host {

namespace {

// Owns a prepared statement.
struct Statement {
  sqlite3_stmt* statement = nullptr;
  ~Statement() { sqlite3_finalize(statement); }
};

}  // namespace

SqliteConnection::SqliteConnection(std::string url, const std::string& path) : url_(std::move(url)) {
  static std::once_flag configured;
  std::call_once(configured, [] {
    // Memory statistics take SQLite's global allocator mutex on every
    // allocation, and Sluice never reads them. Refused (SQLITE_MISUSE, left
    // as it is) once SQLite has been initialised by something else.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  // NOMUTEX: a connection is used by one thread at a time (sql_connection.hpp),
  // so the per-call connection mutex of SQLite's serialised mode is pure
  // cost: on the insert path it was a lock and an unlock for every bound
  // value, about 6% of a BigQuery sync's CPU (bench_http, perf).
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close_v2(db_);
    throw TargetError("sqlite: cannot open " + path + ": " + message);
  }
  if (path != ":memory:") lock_path_ = path + "-sluice-lock";
  // The handle is this object's only once the constructor returns: a PRAGMA
  // that fails (a busy file) closes it here.
  try {
    // WAL + synchronous=NORMAL: the right trade for many small commits
    // (limits.md, finding 3); durability of a committed checkpoint survives a
    // process crash, which is what exactly-once needs.
    // The busy timeout first: another connection may hold the file while this
    // one switches it to WAL (Poco's open used to set one before any PRAGMA).
    exec_plain("PRAGMA busy_timeout=10000");
    switch_to_wal();
    exec_plain("PRAGMA synchronous=NORMAL");
    // 16 MiB of page cache: enough for in-order appends and upserts, and it
    // keeps peak memory flat however many rows a sync writes.
    exec_plain("PRAGMA cache_size=-16384");
    // Checkpoint the WAL every 8,192 pages (32 MiB) instead of SQLite's 1,000:
    // each checkpoint fsyncs twice, and at 4 MiB a bulk load of a million
    // rows spent ~0.8 s of its writer's wall time in 160 fdatasyncs. The WAL
    // file is truncated back to that size after each checkpoint.
    exec_plain("PRAGMA wal_autocheckpoint=8192");
    exec_plain("PRAGMA journal_size_limit=33554432");
  } catch (...) {
    sqlite3_close_v2(db_);
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
  // close_v2: a writer's statement still open keeps the handle until it is
  // finalised, instead of failing the close.
  sqlite3_close_v2(db_);
}

void SqliteConnection::exec_plain(const char* sql) {
  if (exec_plain_rc(sql) != SQLITE_OK) {
    throw TargetError("sqlite: " + std::string(sqlite3_errmsg(db_)) + " (in: " + std::string(sql) + ")");
  }
}

int SqliteConnection::exec_plain_rc(const char* sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
}

void SqliteConnection::switch_to_wal() {
  // Switching a file to WAL takes its exclusive lock. When connections open
  // a new file at the same moment, each holds a shared lock and wants the
  // exclusive one, and SQLite answers SQLITE_BUSY at once instead of calling
  // the busy handler, since waiting could deadlock
  // (https://www.sqlite.org/c3ref/busy_handler.html). The daemon's ingest
  // requests do exactly that. Retrying lets the winner switch the file; the
  // others then find it in WAL already. Within the busy timeout's 10 s.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    const int rc = exec_plain_rc("PRAGMA journal_mode=WAL");
    if (rc == SQLITE_OK) return;
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) break;
    sqlite3_sleep(5);
  }
  throw TargetError("sqlite: " + std::string(sqlite3_errmsg(db_)) + " (in: PRAGMA journal_mode=WAL)");
}

SqlRows SqliteConnection::query(const Sql& sql, std::vector<std::string>* column_names) {
  std::string text;
  std::vector<const std::string*> values;
  for (const auto& piece : sql.pieces()) {
    if (piece.bound) {
      text += '?';
      values.push_back(&piece.text);
    } else {
      text += piece.text;
    }
  }
  auto fail = [&](const char* message) {
    return TargetError(std::string("sqlite: ") + message + " (in: " + sql.shape().substr(0, 200) + ")");
  };
  Statement statement;
  if (sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &statement.statement, nullptr) !=
      SQLITE_OK) {
    throw fail(sqlite3_errmsg(db_));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    sqlite3_bind_text(statement.statement, static_cast<int>(i + 1), values[i]->data(),
                      static_cast<int>(values[i]->size()), SQLITE_STATIC);
  }
  SqlRows rows;
  const int width = sqlite3_column_count(statement.statement);
  if (column_names) {
    column_names->clear();
    for (int i = 0; i < width; ++i) column_names->push_back(sqlite3_column_name(statement.statement, i));
  }
  int rc;
  while ((rc = sqlite3_step(statement.statement)) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int i = 0; i < width; ++i) {
      if (sqlite3_column_type(statement.statement, i) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(statement.statement, i));
        row.emplace_back(std::string(value, static_cast<size_t>(sqlite3_column_bytes(statement.statement, i))));
      }
    }
  }
  if (rc != SQLITE_DONE) throw fail(sqlite3_errmsg(db_));
  return rows;
}

uint64_t SqliteConnection::execute(const Sql& sql) {
  query(sql);
  return static_cast<uint64_t>(sqlite3_changes64(db_));
}

std::unique_ptr<TableWriter> SqliteConnection::writer(const WriteSpec& spec) {
  return std::make_unique<SqliteTableWriter>(db_, spec);
}

bool SqliteConnection::try_lock(const std::string& key) {
  if (lock_path_.empty()) return true;
  if (lock_fd_ < 0) {
    lock_fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) throw TargetError("sqlite: cannot open the lock file " + lock_path_ + ": " + std::strerror(errno));
  }
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = static_cast<off_t>(advisory_lock_id(key) & 0x3fffffffffffffffULL);  // a byte per key
  lock.l_len = 1;
  if (::fcntl(lock_fd_, F_OFD_SETLK, &lock) == 0) return true;
  if (errno == EAGAIN || errno == EACCES) return false;
  throw TargetError("sqlite: cannot lock " + lock_path_ + ": " + std::strerror(errno));
}

void SqliteConnection::unlock(const std::string& key) {
  if (lock_fd_ < 0) return;
  struct flock lock {};
  lock.l_type = F_UNLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = static_cast<off_t>(advisory_lock_id(key) & 0x3fffffffffffffffULL);
  lock.l_len = 1;
  ::fcntl(lock_fd_, F_OFD_SETLK, &lock);
}

}  // namespace sluice::host
