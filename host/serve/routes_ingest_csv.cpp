// POST /v1/ingest/{stream}/csv (docs/ingest.md "CSV upload"): a CSV file
// of events, read from the request as it arrives (a streaming route: the
// body is never held whole) through CsvIngest, committed in batches, and
// answered after the last commit with the upload's report. An upload that
// stops (a BadCsv, the size limit, a target failure) keeps the batches
// committed before it; the answer says where it stopped, with its counts.
#include "host/ingest/csv_ingest.hpp"
#include "host/serve/routes.hpp"
#include "host/sync/clock.hpp"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

#include <exception>
#include <streambuf>

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

constexpr size_t kChunkBytes = 64 << 10;

// The upload is over ingest.max_csv_bytes, as sent or inflated.
struct TooLarge {};

// Hands whatever is written to it to `feed`. An exception from `feed` is
// kept, not thrown through the inflater's stream (which would swallow it
// into a bad state): the caller rethrows it after each write.
class FeedBuffer : public std::streambuf {
 public:
  explicit FeedBuffer(std::function<void(std::string_view)> feed) : feed_(std::move(feed)) {}
  std::exception_ptr error;

 protected:
  std::streamsize xsputn(const char* data, std::streamsize n) override {
    deliver(std::string_view(data, static_cast<size_t>(n)));
    return n;
  }
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) {
      const char byte = traits_type::to_char_type(c);
      deliver(std::string_view(&byte, 1));
    }
    return traits_type::not_eof(c);
  }

 private:
  void deliver(std::string_view data) {
    if (error) return;
    try {
      feed_(data);
    } catch (...) {
      error = std::current_exception();
    }
  }
  std::function<void(std::string_view)> feed_;
};

// ?rename={"Header name": "field", ...} and ?delimiter=X (one byte, or "tab").
CsvOptions csv_options(const ApiRequest& request) {
  CsvOptions options;
  if (auto text = request.query_value("rename")) {
    json::error_code ec;
    json::value value = json::parse(*text, ec);
    if (ec || !value.is_object()) {
      throw ApiError(400, "invalid_rename", "rename must be a JSON object of header names to field names");
    }
    for (const auto& [header, field] : value.get_object()) {
      if (!field.is_string()) {
        throw ApiError(400, "invalid_rename", "rename: the field for " + std::string(header) + " must be a string");
      }
      options.rename[std::string(header)] = std::string(field.get_string());
    }
  }
  if (auto text = request.query_value("delimiter")) {
    if (*text == "tab") *text = "\t";
    const char c = text->size() == 1 ? (*text)[0] : '"';
    if (c == '"' || c == '\r' || c == '\n' || static_cast<unsigned char>(c) >= 0x80) {
      throw ApiError(400, "invalid_delimiter",
                     "delimiter must be one ASCII character other than a quote or a line end, or tab");
    }
    options.delimiter = c;
  }
  return options;
}

ApiResponse answer(int status, const std::string& code, const std::string& message, const std::string& stream,
                   const std::string& upload_id, const CsvIngestReport& report) {
  json::object body = csv_report_json(report);
  body["stream"] = stream;
  body["upload_id"] = upload_id;
  if (!code.empty()) {
    body["code"] = code;
    body["message"] = message;
  }
  return ApiResponse::json(status, body);
}

ApiResponse ingest_csv(Daemon& daemon, const ApiRequest& request) {
  if (const int64_t wait = daemon.ingest_limiter().take(request.key_id); wait > 0) {
    throw ApiError(429, "rate_limited",
                   "this key sent more ingest requests than its limit; retry after " + std::to_string(wait) + " s")
        .with_header("Retry-After", std::to_string(wait));
  }
  const IngestStream stream = ingest_stream_named(daemon, request.params[0]);
  const uint64_t cap = daemon.config().ingest_max_csv_bytes;
  const std::string too_large = "the upload is larger than " + std::to_string(cap) + " bytes (ingest.max_csv_bytes)";
  if (auto length = request.headers.find("content-length"); length != request.headers.end()) {
    const bool digits = !length->second.empty() && length->second.size() <= 19 &&
                        length->second.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoull(length->second) > cap) throw ApiError(413, "too_large", too_large);
  }
  bool gzip = false;
  if (auto encoding = request.headers.find("content-encoding");
      encoding != request.headers.end() && !encoding->second.empty() && encoding->second != "identity") {
    if (encoding->second != "gzip") {
      throw ApiError(415, "unsupported_encoding",
                     "Content-Encoding " + encoding->second + " is not supported; send gzip or no encoding");
    }
    gzip = true;
  }
  const CsvOptions options = csv_options(request);
  const std::string url = stream.target.empty() ? daemon.config().ingest_default_target : stream.target;
  std::unique_ptr<IngestSession> session;
  const IngestTable* table = nullptr;
  try {
    session = daemon.ingest_pool().acquire(url);
    table = &session->prepare(stream);
  } catch (const std::exception& e) {
    throw ApiError(502, "target_unavailable", std::string("cannot open the stream's target: ") + e.what());
  }

  const std::string upload_id = new_sync_id();
  size_t batch = 0;
  CsvIngestOptions ingest_options;
  ingest_options.csv = options;
  CsvIngest csv(stream, *session, *table, ingest_options,
                [&] { return upload_id + "-" + std::to_string(++batch); });
  uint64_t sent = 0, inflated = 0;
  FeedBuffer sink([&](std::string_view data) {
    inflated += data.size();
    if (inflated > cap) throw TooLarge{};
    csv.feed(data);
  });
  std::ostream sink_stream(&sink);
  std::unique_ptr<Poco::InflatingOutputStream> inflate;
  if (gzip) {
    inflate = std::make_unique<Poco::InflatingOutputStream>(sink_stream, Poco::InflatingStreamBuf::STREAM_GZIP);
  }
  auto rethrow = [&] {
    if (sink.error) std::rethrow_exception(sink.error);
  };

  std::istream& in = *request.body_stream;
  std::string buffer(kChunkBytes, '\0');
  auto done = [&](int status, const std::string& code, const std::string& message) {
    // Nothing more reaches the upload, not even what the inflater flushes
    // when it is destroyed.
    if (!sink.error) sink.error = std::make_exception_ptr(TooLarge{});
    daemon.ingest_counts().accepted += csv.report().accepted;
    daemon.ingest_counts().duplicate += csv.report().duplicate;
    daemon.ingest_counts().rejected += csv.report().rejected;
    return answer(status, code, message, stream.name, upload_id, csv.report());
  };
  try {
    try {
      while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
        const auto n = static_cast<size_t>(in.gcount());
        sent += n;
        if (sent > cap) throw TooLarge{};
        if (inflate) {
          inflate->write(buffer.data(), static_cast<std::streamsize>(n));
          rethrow();
          if (!inflate->good()) throw Poco::DataFormatException("not gzip");
        } else {
          sink.sputn(buffer.data(), static_cast<std::streamsize>(n));
          rethrow();
        }
      }
      if (inflate) {
        inflate->close();
        rethrow();
        if (!inflate->good()) throw Poco::DataFormatException("not gzip");
      }
      csv.finish();
    } catch (const TooLarge&) {
      csv.stop(too_large);
      return done(413, "too_large", too_large);
    } catch (const Poco::Exception&) {
      const std::string message = "the request body is not valid gzip";
      csv.stop(message);
      return done(400, "invalid_gzip", message);
    } catch (const BadCsv& e) {
      return done(422, "bad_csv", std::string("the upload cannot be read on: ") + e.what());
    }
  } catch (const TargetError& e) {
    // The batch being written is not stored; the ones before it are.
    const std::string message = std::string("the stream's target failed: ") + e.what();
    csv.failed(message);
    return done(502, "target_unavailable", message);
  }
  daemon.ingest_pool().release(url, std::move(session));
  return done(200, "", "");
}

}  // namespace

void add_ingest_csv_routes(Router& router, Daemon& daemon) {
  router.add_streaming("POST", "/v1/ingest/{stream}/csv", Role::ingest,
                       [&daemon](const ApiRequest& request) { return ingest_csv(daemon, request); });
}

}  // namespace sluice::host::serve
