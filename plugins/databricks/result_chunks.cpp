#include "result_chunks.hpp"

#include <sluice/support/timestamp.hpp>

namespace databricks {

namespace {

using sluice::support::HttpClient;

int64_t integer_member(const json::object& object, const char* key, int64_t fallback) {
  const auto* value = object.if_contains(key);
  if (value && value->is_int64()) return value->get_int64();
  if (value && value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  return fallback;
}

// The storage host's answer to a link: a client of its own (no credentials,
// the worker's cancellation and clock), its read timeout 30 s plus 1 s per
// MiB of the chunk.
std::string download(HttpClient& client, const ExternalLink& link) {
  sluice::support::HttpOptions options = client.options();
  options.on_answer = nullptr;  // another host: the workspace's limiter does not count it
  options.read_timeout = std::chrono::seconds(30) + std::chrono::seconds(link.byte_count / (1 << 20));
  // Few, short retries: each of read_chunk's attempts retries once, with a fresh link.
  options.retry.max_attempts = 2;
  options.retry.initial_backoff = std::chrono::milliseconds(250);
  HttpClient storage(std::move(options));
  sluice::support::HttpRequest request;
  request.url = link.url;
  request.headers = link.headers;
  request.authorize = false;
  return storage.send(std::move(request)).body;
}

bool expired(const ExternalLink& link, const HttpClient& client) {
  if (!link.expires_micros) return false;
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(client.options().now().time_since_epoch());
  return now.count() + 10'000'000 >= *link.expires_micros;  // 10 s to spare
}

}  // namespace

std::optional<ExternalLink> link_of_chunk(const json::object& result_data, size_t index) {
  const auto* links = result_data.if_contains("external_links");
  if (!links || !links->is_array()) return std::nullopt;
  for (const auto& entry : links->get_array()) {
    const auto* object = entry.if_object();
    if (!object || integer_member(*object, "chunk_index", -1) != static_cast<int64_t>(index)) continue;
    ExternalLink link;
    link.url = string_member(*object, "external_link");
    if (link.url.empty()) return std::nullopt;
    if (const auto t = sluice::support::parse_rfc3339(string_member(*object, "expiration"))) link.expires_micros = t->micros;
    if (const auto* headers = object->if_contains("http_headers"); headers && headers->is_object()) {
      for (const auto& [name, value] : headers->get_object()) {
        if (value.is_string()) link.headers.emplace_back(std::string(name), std::string(value.get_string()));
      }
    }
    link.byte_count = integer_member(*object, "byte_count", 0);
    return link;
  }
  return std::nullopt;
}

DecodedChunk read_chunk(const DatabricksApi& api, HttpClient& client, const StatementResult& result, size_t index,
                        const json::object* given, const std::string& what, sql_common::RowShape shape) {
  const std::string where = what + " (chunk " + std::to_string(index) + ")";
  const int64_t expected = index < result.chunks.size() ? result.chunks[index].row_count : -1;
  std::optional<json::object> data;
  if (given) data = *given;
  std::string last_error;
  for (int attempt = 1; attempt <= kChunkAttempts; ++attempt) {
    try {
      if (!data) data = api.chunk(client, result.statement_id, index, what);
      DecodedChunk chunk;
      if (auto* rows = data->if_contains("data_array"); rows && rows->is_array()) {
        decode_rows(rows->get_array(), result.columns, chunk.rows, shape);
        if (!rows->get_array().empty()) chunk.last = sql_common::sent_row(rows->get_array().back().as_array());
      } else {
        std::optional<ExternalLink> link = link_of_chunk(*data, index);
        if (!link) throw sluice::Error(sluice::ErrorKind::source, where + ": the answer has neither rows nor a link");
        if (expired(*link, client)) {
          data.reset();  // refreshed through the chunk endpoint
          last_error = "its external link expired";
          continue;
        }
        chunk = decode_chunk(download(client, *link), result.columns, where, shape);
      }
      if (expected >= 0 && static_cast<int64_t>(chunk.rows.size()) != expected) {
        throw sluice::Error(sluice::ErrorKind::source, where + ": it holds " + std::to_string(chunk.rows.size()) +
                                                           " rows, the manifest says " + std::to_string(expected));
      }
      return chunk;
    } catch (const sluice::Cancelled&) {
      throw;
    } catch (const sluice::support::HttpError& e) {
      // The storage host's refusal of a link (expired, revoked) or its
      // failure after retries: a fresh link next time.
      last_error = e.what();
    } catch (const sluice::Error& e) {
      if (e.kind() == sluice::ErrorKind::auth || e.kind() == sluice::ErrorKind::config) throw;
      last_error = e.what();
    }
    data.reset();
  }
  if (last_error.rfind(where + ": ", 0) == 0) last_error.erase(0, where.size() + 2);
  throw sluice::Error(sluice::ErrorKind::transient,
                      where + " failed " + std::to_string(kChunkAttempts) + " times; the last: " + last_error);
}

}  // namespace databricks
