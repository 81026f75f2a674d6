#include <sluice/support/endpoint.hpp>

#include <sluice/connector.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

namespace sluice::support {

namespace json = boost::json;

namespace {

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  Poco::Net::IPAddress address;
  return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

}  // namespace

std::string checked_url(std::string_view url, std::string_view field) {
  const std::string name(field);
  Poco::URI uri;
  try {
    uri = Poco::URI(std::string(url));
  } catch (const Poco::Exception&) {
    throw Error(ErrorKind::config, name + ": not a valid URL");
  }
  if (uri.getHost().empty()) throw Error(ErrorKind::config, name + ": a URL needs a host, like https://example.com");
  if (!uri.getQuery().empty() || !uri.getFragment().empty()) {
    throw Error(ErrorKind::config, name + ": must not have a query string or fragment");
  }
  if (!uri.getUserInfo().empty()) {
    throw Error(ErrorKind::config, name + ": must not carry credentials in the URL");
  }
  if (uri.getScheme() == "http") {
    if (!is_loopback(uri.getHost())) {
      throw Error(ErrorKind::config, name + ": plain http:// is allowed only for loopback hosts (127.0.0.1, ::1, "
                                            "localhost), got host " + uri.getHost() + "; use https://");
    }
  } else if (uri.getScheme() != "https") {
    throw Error(ErrorKind::config, name + ": must start with https:// (got " + uri.getScheme() + "://)");
  }
  std::string out(url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

Endpoint endpoint_from_config(const json::object& config, std::string_view default_base_url,
                              std::string_view default_token_url) {
  auto text = [&](const char* key) -> std::string {
    const auto* value = config.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  Endpoint endpoint;
  const std::string base = text("base_url");
  endpoint.base_url = base.empty() ? checked_url(default_base_url, "base_url") : checked_url(base, "base_url");
  const std::string token = text("token_url");
  if (!token.empty()) {
    endpoint.token_url = checked_url(token, "token_url");
  } else if (!default_token_url.empty()) {
    endpoint.token_url = checked_url(default_token_url, "token_url");
  }
  endpoint.ca_file = text("ca_file");
  return endpoint;
}

json::object endpoint_schema_properties(bool with_token_url, int first_order) {
  json::object properties;
  properties["base_url"] = {
      {"type", "string"},
      {"title", "Base URL override"},
      {"description", "Call this API root instead of the service's own: a proxy, a private endpoint or an "
                      "emulator. https:// required; plain http:// only for loopback hosts."},
      {"order", first_order}};
  if (with_token_url) {
    properties["token_url"] = {
        {"type", "string"},
        {"title", "Token URL override"},
        {"description", "Fetch OAuth access tokens from this URL instead of the service's own. "
                        "https:// required; plain http:// only for loopback hosts."},
        {"order", first_order + 1}};
  }
  properties["ca_file"] = {
      {"type", "string"},
      {"title", "Extra CA certificates"},
      {"description", "Path to a PEM file of CA certificates to trust in addition to the system store, for a "
                      "private CA or a TLS-inspecting proxy. Certificate verification cannot be turned off."},
      {"order", first_order + 2}};
  return properties;
}

}  // namespace sluice::support
