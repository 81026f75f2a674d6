#include "settings.hpp"

#include <libpq-fe.h>

#include <map>

namespace postgres {

namespace {

[[noreturn]] void config_error(const std::string& message) {
  throw sluice::Error(sluice::ErrorKind::config, message);
}

// The keywords a postgresql:// URL sets, through libpq's own parser.
std::map<std::string, std::string> parse_url(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    // libpq's message quotes no part of the URL but may be several lines.
    std::string why = error ? error : "out of memory";
    if (error) PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    for (auto& c : why) c = c == '\n' ? ' ' : c;
    config_error("config.url: not a PostgreSQL URL: " + why);
  }
  std::map<std::string, std::string> out;
  for (auto* option = options; option->keyword; ++option) {
    if (option->val && *option->val) out[option->keyword] = option->val;
  }
  PQconninfoFree(options);
  return out;
}

}  // namespace

std::string default_sslmode(const std::string& host) {
  const bool loopback = host.empty() || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0 ||
                        host.front() == '/';
  return loopback ? "prefer" : "verify-full";
}

Settings read_settings(const sluice::Config& config) {
  Settings settings;
  std::map<std::string, std::string> keywords;
  const auto url = config.optional_string("url");
  if (url) {
    for (const char* field : {"host", "database", "user", "password"}) {
      if (config.has(field)) config_error("config." + std::string(field) + ": give either url or the separate fields, not both");
    }
    keywords = parse_url(*url);
  } else {
    for (const char* field : {"host", "database", "user"}) {
      if (!config.has(field)) config_error("config." + std::string(field) + ": required unless url is given");
    }
    keywords["host"] = config.string("host");
    keywords["port"] = std::to_string(config.optional_integer("port").value_or(5432));
    keywords["dbname"] = config.string("database");
    keywords["user"] = config.string("user");
    if (auto password = config.optional_string("password")) keywords["password"] = *password;
  }
  const std::string sslmode = config.optional_string("sslmode").value_or("");
  if (!sslmode.empty()) keywords["sslmode"] = sslmode;
  if (!keywords.count("sslmode")) keywords["sslmode"] = default_sslmode(keywords["host"]);
  const std::string ca_file = config.optional_string("ca_file").value_or("");
  if (!ca_file.empty()) keywords["sslrootcert"] = ca_file;
  keywords["application_name"] = "sluice";
  if (!keywords.count("connect_timeout")) keywords["connect_timeout"] = "30";
  keywords["client_encoding"] = "UTF8";
  for (auto& [keyword, value] : keywords) settings.params.emplace_back(keyword, value);

  settings.where = (keywords.count("host") ? keywords["host"] : std::string("localhost")) + ":" +
                   (keywords.count("port") ? keywords["port"] : std::string("5432")) + "/" +
                   (keywords.count("dbname") ? keywords["dbname"] : std::string("(default database)"));
  settings.schemas = config.optional_strings("schemas");
  settings.filter.include = config.optional_strings("include");
  settings.filter.exclude = config.optional_strings("exclude");
  settings.chunk_rows = config.optional_integer("chunk_rows").value_or(200000);
  settings.parallelism = static_cast<size_t>(config.optional_integer("parallelism").value_or(4));
  settings.statement_timeout = std::chrono::seconds(config.optional_integer("statement_timeout_seconds").value_or(0));
  settings.xmin_tables = config.optional_strings("xmin_tables");
  return settings;
}

}  // namespace postgres
