#include "session.hpp"

#include <poll.h>

#include <cerrno>

namespace postgres {

namespace {

// libpq's text on one line: newlines and runs of spaces folded.
std::string one_line(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

sluice::Error statement_error(const std::string& what, const std::string& primary, const std::string& sqlstate) {
  using sluice::ErrorKind;
  ErrorKind kind = ErrorKind::source;
  const std::string klass = sqlstate.substr(0, 2);
  if (klass == "28" || sqlstate == "42501") {
    kind = ErrorKind::auth;
  } else if (klass == "08" || klass == "40" || klass == "53" || klass == "57") {
    kind = ErrorKind::transient;
  } else if (klass == "42" || klass == "3D" || klass == "3F" || sqlstate == "25006") {
    kind = ErrorKind::config;
  }
  std::string message = what + ": " + one_line(primary);
  if (!sqlstate.empty()) message += " (SQLSTATE " + sqlstate + ")";
  return sluice::Error(kind, message);
}

sluice::Error connection_error(const std::string& where, const std::string& libpq_message) {
  using sluice::ErrorKind;
  const std::string text = one_line(libpq_message);
  ErrorKind kind = ErrorKind::transient;
  if (contains(text, "authentication failed") || contains(text, "pg_hba.conf") || contains(text, "password") ||
      contains(text, "permission denied")) {
    kind = ErrorKind::auth;
  } else if (contains(text, "SSL") || contains(text, "certificate") || contains(text, "does not exist") ||
             contains(text, "invalid")) {
    kind = ErrorKind::config;
  }
  return sluice::Error(kind, "cannot connect to " + where + ": " + text);
}

Session::Session(const Settings& settings, const sluice::Logger& log, std::optional<Flavor> flavor,
                 const std::atomic<bool>* stop)
    : settings_(settings), log_(log), stop_(stop) {
  std::vector<const char*> keywords, values;
  for (const auto& [keyword, value] : settings.params) {
    keywords.push_back(keyword.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keywords.data(), values.data(), 0);
  if (!conn_) throw sluice::Error(sluice::ErrorKind::internal, "cannot connect to " + settings.where + ": out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    throw connection_error(settings.where, message);
  }
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  // No destructor runs for a constructor that throws: a set-up statement
  // that fails or is cancelled (the host's cancel as the read starts) must
  // close the connection here (found by ASan's leak check).
  try {
    if (flavor) {
      flavor_ = *flavor;
    } else {
      Result version = exec("SELECT version()", "asking the server's version");
      flavor_ = detect_flavor(PQntuples(version.get()) ? PQgetvalue(version.get(), 0, 0) : "");
    }
    exec(session_setup_sql(flavor_, settings.statement_timeout), "setting up the session");
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

Session::~Session() { PQfinish(conn_); }

void Session::fail(const PGresult* result, const std::string& what) {
  if (PQstatus(conn_) == CONNECTION_BAD) {
    throw sluice::Error(sluice::ErrorKind::transient,
                        what + ": the connection to " + settings_.where + " was lost: " + one_line(PQerrorMessage(conn_)));
  }
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  throw statement_error(what, primary ? primary : PQerrorMessage(conn_), sqlstate ? sqlstate : "");
}

void Session::cancel() {
  if (PGcancel* request = PQgetCancel(conn_)) {
    char error[256];
    PQcancel(request, error, sizeof error);
    PQfreeCancel(request);
  }
}

void Session::wait_readable(const std::string& what) {
  for (;;) {
    if (log_.cancelled() || (stop_ && stop_->load())) {
      // The server stops the statement; the connection is closed unread.
      cancel();
      throw sluice::Cancelled();
    }
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    // The timeout only bounds how late a cancel is seen.
    const int ready = poll(&fd, 1, 100);
    if (ready < 0 && errno != EINTR) fail(nullptr, what);
    if (ready > 0) {
      if (!PQconsumeInput(conn_)) fail(nullptr, what);
      return;
    }
  }
}

Result Session::next_result(const std::string& what) {
  while (PQisBusy(conn_)) wait_readable(what);
  return Result(PQgetResult(conn_));
}

Result Session::exec(const std::string& sql, const std::string& what, const Params& params) {
  int sent;
  if (params.empty()) {
    sent = PQsendQuery(conn_, sql.c_str());
  } else {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    sent = PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0);
  }
  if (!sent) fail(nullptr, what);
  return last_result(what);
}

Result Session::prepare(const std::string& name, const std::string& sql, const std::vector<Oid>& types,
                        const std::string& what) {
  if (!PQsendPrepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()), types.data())) fail(nullptr, what);
  return last_result(what);
}

Result Session::describe(const std::string& name, const std::string& what) {
  if (!PQsendDescribePrepared(conn_, name.c_str())) fail(nullptr, what);
  return last_result(what);
}

Result Session::last_result(const std::string& what) {
  Result last;
  while (Result result = next_result(what)) {
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      while (next_result(what)) {
      }
      fail(result.get(), what);
    }
    last = std::move(result);
  }
  if (!last) fail(nullptr, what);
  return last;
}

void Session::stream_rows(const std::string& sql, const Params& params, const std::string& what,
                          const std::function<void(const PGresult& row)>& row) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  if (!PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr,
                         0) ||
      !PQsetSingleRowMode(conn_)) {
    fail(nullptr, what);
  }
  stream_result(what, row);
}

void Session::stream_prepared(const std::string& name, const Params& params, const std::string& what,
                              const std::function<void(const PGresult& row)>& row) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  if (!PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0) ||
      !PQsetSingleRowMode(conn_)) {
    fail(nullptr, what);
  }
  stream_result(what, row);
}

void Session::stream_result(const std::string& what, const std::function<void(const PGresult& row)>& row) {
  std::optional<sluice::Error> failed;
  while (Result result = next_result(what)) {
    const auto status = PQresultStatus(result.get());
    if (status == PGRES_SINGLE_TUPLE) {
      if (failed) continue;
      try {
        row(*result);
      } catch (...) {
        // The host has what it wants (or the row failed): the server stops
        // the statement now rather than when the closed socket fails its send.
        cancel();
        throw;
      }
    } else if (status != PGRES_TUPLES_OK && !failed) {
      try {
        fail(result.get(), what);
      } catch (const sluice::Error& error) {
        failed = error;
      }
    }
  }
  if (failed) throw *failed;
}

void Session::copy_out(const std::string& sql, const std::string& what,
                       const std::function<void(std::string_view line)>& line) {
  if (!PQsendQuery(conn_, sql.c_str())) fail(nullptr, what);
  Result start = next_result(what);
  if (!start || PQresultStatus(start.get()) != PGRES_COPY_OUT) {
    while (next_result(what)) {
    }
    fail(start.get(), what);
  }
  for (;;) {
    char* buffer = nullptr;
    const int size = PQgetCopyData(conn_, &buffer, 1);
    if (size > 0) {
      std::string_view text(buffer, static_cast<size_t>(size));
      if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
      try {
        line(text);
      } catch (...) {
        PQfreemem(buffer);
        throw;
      }
      PQfreemem(buffer);
    } else if (size == 0) {
      wait_readable(what);
    } else {
      break;  // -1: done; -2: failed, the result says why
    }
  }
  Result end = next_result(what);
  const bool ok = end && PQresultStatus(end.get()) == PGRES_COMMAND_OK;
  Result error = ok ? nullptr : std::move(end);
  while (next_result(what)) {
  }
  if (!ok) fail(error.get(), what);
}

}  // namespace postgres
