// `sluice ingest csv FILE --stream S` (docs/ingest.md "CSV upload"): a CSV
// file of events into an ingest stream, two ways, one report.
//  - --daemon URL: posted to POST /v1/ingest/{stream}/csv, read from the
//    file as it is sent (never whole in memory); the daemon's report is
//    printed as it came.
//  - --declaration FILE: straight into the target, with no daemon: FILE is
//    the stream's declaration (the JSON posted to /v1/ingest-streams), its
//    target or --target URL. The same reader, typing, batches and dedup
//    (host/ingest/csv_ingest.hpp), so both ways store a row alike.
// Exit codes: 0 every row accepted or duplicate; 1 a row rejected, or the
// upload stopped (unreadable CSV, a target or daemon failure: what was
// committed stays, and the report says where it stopped); 2 usage.
#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/ingest/csv_ingest.hpp"
#include "host/sync/clock.hpp"
#include "host/target/target.hpp"

#include <sluice/detail/tls_context.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::host::cli {

namespace {

namespace json = boost::json;

constexpr size_t kChunkBytes = 64 << 10;

// --rename "HEADER=FIELD" (repeatable): split at the last '=', since a
// field name has none and a header name may.
std::map<std::string, std::string, std::less<>> renames(const ParsedArgs& parsed) {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& item : parsed.all("rename")) {
    const size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      throw UsageError("ingest csv: --rename expects HEADER=FIELD, got \"" + item + "\"");
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

char delimiter(const ParsedArgs& parsed) {
  const std::string text = parsed.value("delimiter").value_or(",");
  if (text == "tab") return '\t';
  if (text.size() != 1 || text[0] == '"' || text[0] == '\r' || text[0] == '\n' ||
      static_cast<unsigned char>(text[0]) >= 0x80) {
    throw UsageError("ingest csv: --delimiter must be one ASCII character other than a quote or a line end, or tab");
  }
  return text[0];
}

std::string read_key(const ParsedArgs& parsed) {
  if (auto file = parsed.value("key-file")) {
    std::ifstream in(*file);
    std::string key;
    if (!in || !std::getline(in, key)) throw UsageError("ingest csv: --key-file " + *file + ": cannot read a key");
    while (!key.empty() && (key.back() == '\r' || key.back() == ' ')) key.pop_back();
    if (key.empty()) throw UsageError("ingest csv: --key-file " + *file + ": its first line is empty");
    return key;
  }
  const char* env = std::getenv("SLUICE_API_KEY");
  if (!env || !*env) throw UsageError("ingest csv: --daemon needs an API key: --key-file FILE or SLUICE_API_KEY");
  return env;
}

// The report, and the exit code it means.
int finish(const json::value& report) {
  print(pretty_json(report) + "\n");
  const auto* object = report.if_object();
  const auto* message = object ? object->if_contains("message") : nullptr;
  if (message && message->is_string()) print_error_line("error: ingest csv: " + std::string(message->get_string()));
  const bool stopped = !object || object->contains("stopped") || object->contains("code");
  const auto* rejected = object ? object->if_contains("rejected") : nullptr;
  const bool any_rejected = !rejected || !rejected->is_number() || rejected->to_number<double>() > 0;
  return stopped || any_rejected ? kExitFailure : kExitOk;
}

int via_daemon(const ParsedArgs& parsed, const std::string& file, const std::string& stream_name) {
  const std::string key = read_key(parsed);
  Poco::URI uri;
  try {
    uri = Poco::URI(*parsed.value("daemon"));
  } catch (const std::exception&) {
    throw UsageError("ingest csv: --daemon must be a URL such as http://127.0.0.1:8080");
  }
  if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
    throw UsageError("ingest csv: --daemon must be an http:// or https:// URL");
  }
  std::string path = uri.getPath();
  while (!path.empty() && path.back() == '/') path.pop_back();
  Poco::URI target("/");
  target.setPath(path + "/v1/ingest/" + stream_name + "/csv");
  Poco::URI::QueryParameters query;
  const auto rename = renames(parsed);
  if (!rename.empty()) {
    json::object object;
    for (const auto& [header, field] : rename) object[header] = field;
    query.emplace_back("rename", json::serialize(object));
  }
  if (parsed.value("delimiter")) query.emplace_back("delimiter", std::string(1, delimiter(parsed)));
  target.setQueryParameters(query);

  std::ifstream in(file, std::ios::binary);
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  const std::string ca_file = parsed.value("ca-file").value_or("");
  if (!ca_file.empty() && uri.getScheme() != "https") {
    throw UsageError("ingest csv: --ca-file goes with an https:// --daemon");
  }
  if (!ca_file.empty() && !std::filesystem::is_regular_file(ca_file)) {
    throw UsageError("ingest csv: --ca-file " + ca_file + ": no such file");
  }
  if (uri.getScheme() == "https") {
    // Verified as every Sluice HTTPS client verifies (tls_context.hpp).
    session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                              support::tls_client_context(uri.getHost(), ca_file));
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  }
  session->setTimeout(Poco::Timespan(3600, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target.getPathEtc(),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + key);
  request.setContentType("text/csv");
  request.setContentLength(static_cast<std::streamsize>(std::filesystem::file_size(file)));
  Poco::Net::HTTPResponse response;
  std::string body;
  auto tls_failed = [&](const Poco::Exception& e) {
    print_error_line("error: ingest csv: TLS with the daemon at " + *parsed.value("daemon") + " failed (" +
                     e.displayText() + ")" +
                     (ca_file.empty() ? "; a daemon with a private or self-signed certificate needs --ca-file FILE"
                                      : ""));
    return kExitFailure;
  };
  try {
    std::ostream& out = session->sendRequest(request);
    std::string buffer(kChunkBytes, '\0');
    // A daemon that refuses the upload closes the connection: its answer is
    // still read below.
    while (out && (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)) {
      out.write(buffer.data(), in.gcount());
    }
  } catch (const Poco::Net::SSLException& e) {
    return tls_failed(e);  // the handshake: nothing was sent
  } catch (const Poco::Exception&) {
  }
  try {
    Poco::StreamCopier::copyToString(session->receiveResponse(response), body);
  } catch (const Poco::Net::SSLException& e) {
    return tls_failed(e);
  } catch (const Poco::Exception& e) {
    print_error_line("error: ingest csv: no answer from the daemon at " + *parsed.value("daemon") + " (" +
                     e.displayText() + ")");
    return kExitFailure;
  }
  json::error_code ec;
  json::value answer = json::parse(body, ec);
  if (ec || !answer.is_object()) {
    print_error_line("error: ingest csv: the daemon answered " + std::to_string(response.getStatus()) +
                     " with a body that is not JSON");
    return kExitFailure;
  }
  if (!answer.as_object().contains("rejected")) {  // an error before the upload was read
    const auto* message = answer.as_object().if_contains("message");
    print_error_line("error: ingest csv: the daemon answered " + std::to_string(response.getStatus()) + ": " +
                     (message && message->is_string() ? std::string(message->get_string()) : body));
    return kExitFailure;
  }
  return finish(answer);
}

int into_target(const ParsedArgs& parsed, const std::string& file, const std::string& stream_name) {
  const std::string declaration_file = *parsed.value("declaration");
  std::ifstream declaration_in(declaration_file);
  if (!declaration_in) throw UsageError("ingest csv: --declaration " + declaration_file + ": cannot open it");
  std::ostringstream text_stream;
  text_stream << declaration_in.rdbuf();
  const std::string text = text_stream.str();
  json::error_code ec;
  json::value declaration = json::parse(text, ec);
  if (ec || !declaration.is_object()) {
    throw UsageError("ingest csv: --declaration " + declaration_file + ": not a JSON object");
  }
  if (auto url = parsed.value("target")) declaration.as_object()["target"] = *url;
  IngestStream stream;
  const auto problems = parse_ingest_stream(declaration.as_object(), stream);
  if (!problems.empty()) throw UsageError("ingest csv: --declaration " + declaration_file + ": " + problems.front());
  if (stream.name != stream_name) {
    throw UsageError("ingest csv: --stream " + stream_name + " but the declaration is of stream " + stream.name);
  }
  if (stream.target.empty()) throw UsageError("ingest csv: the declaration names no target: give --target URL");

  CsvIngestOptions options;
  options.csv.rename = renames(parsed);
  options.csv.delimiter = delimiter(parsed);
  std::ifstream in(file, std::ios::binary);
  const std::string upload_id = new_sync_id();
  size_t batch = 0;
  std::unique_ptr<IngestSession> session;
  const IngestTable* table = nullptr;
  try {
    session = std::make_unique<IngestSession>(open_target(stream.target));
    table = &session->prepare(stream);
  } catch (const std::exception& e) {
    print_error_line(std::string("error: target: ") + e.what());
    return kExitFailure;
  }
  CsvIngest csv(stream, *session, *table, options, [&] { return upload_id + "-" + std::to_string(++batch); });
  try {
    std::string buffer(kChunkBytes, '\0');
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      csv.feed(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    }
    csv.finish();
  } catch (const BadCsv& e) {
    print_error_line(std::string("error: ingest csv: ") + file + ": " + e.what());
  } catch (const TargetError& e) {
    csv.failed(std::string("the target failed: ") + e.what());
    print_error_line(std::string("error: target: ") + e.what());
  }
  json::object report = csv_report_json(csv.report());
  report["stream"] = stream.name;
  report["upload_id"] = upload_id;
  return finish(report);
}

}  // namespace

int ingest_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"stream", "S", "The ingest stream (required)"},
      {"daemon", "URL", "Post the file to the daemon at URL (e.g. http://127.0.0.1:8080)"},
      {"key-file", "FILE", "With --daemon: the API key (ingest role or above) on FILE's first line; "
                           "default: SLUICE_API_KEY"},
      {"ca-file", "FILE", "With an https:// --daemon: also trust the CA certificate(s) in FILE (PEM), e.g. "
                          "the daemon's own self-signed certificate; the system's CAs are always trusted"},
      {"declaration", "FILE", "Without a daemon: the stream's declaration (JSON, as posted to /v1/ingest-streams)"},
      {"target", "URL", "With --declaration: the target URL, instead of the declaration's"},
      {"rename", "HEADER=FIELD", "Store the column HEADER as FIELD (repeatable)"},
      {"delimiter", "C", "The cell delimiter: one ASCII character (default ,), or tab"}};
  ParsedArgs parsed = parse_args("ingest", args, options, 0, 2);
  if (parsed.help) {
    print("Usage: sluice ingest csv FILE --stream S --daemon URL [--key-file FILE] [--ca-file FILE]\n"
          "       sluice ingest csv FILE --stream S --declaration FILE [--target URL]\n"
          "                         [--rename HEADER=FIELD ...] [--delimiter C]\n\n"
          "Stores the events of a CSV file (RFC 4180, a header line naming the fields)\n"
          "in an ingest stream, each id once (docs/ingest.md, CSV upload): through the\n"
          "daemon (--daemon: the file is posted as it is read), or straight into the\n"
          "stream's target (--declaration: the stream's JSON declaration). Rows are\n"
          "committed in batches of 5,000; sending a file again stores only what is not\n"
          "stored yet, and reports the rest as duplicate.\n\n"
          "Prints the report: {\"accepted\", \"duplicate\", \"rejected\", \"errors\": [{\"line\",\n"
          "\"column\", \"field\", \"reason\"}], \"errors_omitted\", \"stopped\"}.\n\n"
          "Exits 0 when every row was accepted or duplicate; 1 when a row was rejected,\n"
          "or the upload stopped before its end (the rows before it stay stored); 2 for\n"
          "a usage error.\n\n" +
          options_help(options));
    return kExitOk;
  }
  if (parsed.positionals.empty() || parsed.positionals[0] != "csv") {
    throw UsageError("ingest: expected `sluice ingest csv FILE --stream S` (run sluice ingest --help)");
  }
  if (parsed.positionals.size() < 2) throw UsageError("ingest csv: missing the CSV FILE");
  const std::string file = parsed.positionals[1];
  const auto stream = parsed.value("stream");
  if (!stream) throw UsageError("ingest csv: --stream S is required");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw UsageError("ingest csv: " + file + ": no such file");
  const bool daemon = parsed.value("daemon").has_value();
  const bool direct = parsed.value("declaration").has_value();
  if (daemon == direct) throw UsageError("ingest csv: give either --daemon URL or --declaration FILE");
  if (daemon && parsed.value("target")) throw UsageError("ingest csv: --target goes with --declaration, not --daemon");
  if (direct && parsed.value("key-file")) throw UsageError("ingest csv: --key-file goes with --daemon");
  if (direct && parsed.value("ca-file")) throw UsageError("ingest csv: --ca-file goes with --daemon");
  return daemon ? via_daemon(parsed, file, *stream) : into_target(parsed, file, *stream);
}

}  // namespace sluice::host::cli
