#include "openapi_check.hpp"

#include "host/config/valijson.hpp"  // valijson, configured and warning-free as the host has it

#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace sluice::testkit {

namespace json = boost::json;

namespace {

std::string read_gzip(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open " + path);
  Poco::InflatingInputStream inflater(file, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string text;
  Poco::StreamCopier::copyToString(inflater, text);
  if (inflater.bad()) throw std::runtime_error(path + " is not a complete gzip file");
  return text;
}

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  std::string hex;
  char pair[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

// What the JSON Schema validator needs that the OpenAPI documents say their
// own way; each change applies to every schema object of the document:
//  - oneOf becomes anyOf: the documents use oneOf for "one of these shapes"
//    where shapes overlap (Auth0's last checkpoint page, {"organizations":
//    [...]}, fits both its offset and its checkpoint envelope, neither of
//    which requires a member), which JSON Schema's oneOf would refuse.
//  - a $ref with sibling keywords becomes allOf [{$ref}] beside them: in
//    OpenAPI 3.1 the siblings apply, draft 7 would ignore them.
//  - nullable: true (OpenAPI 3.0) adds "null" to the type.
//  - with closed_objects, an object schema listing properties and saying
//    nothing of others gets additionalProperties: false.
void adapt_schema(json::value& node, const SpecOptions& options);

void adapt_each(json::value& value, const SpecOptions& options) {
  if (auto* array = value.if_array()) {
    for (auto& item : *array) adapt_schema(item, options);
  }
}

void adapt_schema(json::value& node, const SpecOptions& options) {
  auto* schema = node.if_object();
  if (!schema) return;
  if (auto* one_of = schema->if_contains("oneOf")) {
    json::value moved = std::move(*one_of);
    schema->erase("oneOf");
    (*schema)["anyOf"] = std::move(moved);
  }
  if (schema->contains("$ref") && schema->size() > 1) {
    json::object ref{{"$ref", schema->at("$ref")}};
    schema->erase("$ref");
    json::array all{std::move(ref)};
    if (auto* existing = schema->if_contains("allOf"); existing && existing->is_array()) {
      for (auto& item : existing->get_array()) all.push_back(std::move(item));
    }
    (*schema)["allOf"] = std::move(all);
  }
  if (auto* nullable = schema->if_contains("nullable"); nullable && nullable->is_bool()) {
    if (nullable->get_bool()) {
      if (auto* type = schema->if_contains("type"); type && type->is_string()) {
        *type = json::array{type->get_string(), "null"};
      }
    }
    schema->erase("nullable");
  }
  if (options.closed_objects && schema->contains("properties") && !schema->contains("additionalProperties")) {
    (*schema)["additionalProperties"] = false;
  }
  if (auto* properties = schema->if_contains("properties"); properties && properties->is_object()) {
    for (auto& [name, property] : properties->get_object()) adapt_schema(property, options);
  }
  for (const char* key : {"items", "additionalProperties", "not"}) {
    if (auto* sub = schema->if_contains(key)) adapt_schema(*sub, options);
  }
  for (const char* key : {"allOf", "anyOf"}) {
    if (auto* list = schema->if_contains(key)) adapt_each(*list, options);
  }
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) segments.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

// The path part of the first server URL: "https://{tenantDomain}/api/v2" -> "/api/v2".
std::string server_path(const json::object& document) {
  const auto* servers = document.if_contains("servers");
  if (!servers || !servers->is_array() || servers->get_array().empty()) return "";
  const std::string url(servers->get_array()[0].at("url").as_string());
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "" : url.substr(slash);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string pointer_text(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& part : context) out += part;
  return out.empty() ? "<root>" : out;
}

}  // namespace

struct OpenApiSpec::Impl {
  SpecOptions options;
  json::value document;
  json::value root;  // {"components": adapted, "allOf": [the schema being compiled]}: refs resolve in it
  std::string base;  // the server URL's path: /api/v2, /bigquery/v2
  struct Template {
    std::vector<std::string> segments;
    std::string text;
  };
  std::vector<Template> templates;
  std::map<std::string, std::shared_ptr<valijson::Schema>> compiled;  // by path, method and status

  const valijson::Schema& schema_for(const std::string& key, const json::value& schema) {
    auto& slot = compiled[key];
    if (!slot) {
      root.as_object()["allOf"] = json::array{schema};
      adapt_each(root.as_object()["allOf"], options);
      slot = std::make_shared<valijson::Schema>();
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::BoostJsonAdapter adapter(root);
      parser.populateSchema(adapter, *slot);
    }
    return *slot;
  }

  // The operation `method` `path` names: the matching path template with the
  // most literal segments. nullptr (and the reason in `verdict`) when none.
  const json::value* find_operation(const std::string& method, const std::string& path, const std::string& where,
                                    OpenApiSpec::Verdict& verdict) const {
    if (path.rfind(base, 0) != 0) {
      verdict.errors.push_back(where + "not under the spec's server path " + base);
      return nullptr;
    }
    const auto segments = split_path(std::string_view(path).substr(base.size()));
    const Template* best = nullptr;
    size_t best_literals = 0;
    for (const auto& candidate : templates) {
      if (candidate.segments.size() != segments.size()) continue;
      size_t literals = 0;
      bool matches = true;
      for (size_t i = 0; i < segments.size() && matches; ++i) {
        const bool parameter = candidate.segments[i].front() == '{' && candidate.segments[i].back() == '}';
        if (parameter) continue;
        matches = candidate.segments[i] == segments[i];
        ++literals;
      }
      if (matches && (!best || literals > best_literals)) {
        best = &candidate;
        best_literals = literals;
      }
    }
    if (!best) {
      verdict.errors.push_back(where + "no path of the spec matches");
      return nullptr;
    }
    verdict.operation = method + " " + best->text;
    const auto& item = document.at("paths").at(best->text).as_object();
    const auto* operation = item.if_contains(lower(method));
    if (!operation || !operation->is_object()) {
      verdict.errors.push_back(where + "the spec has no " + method + " on " + best->text);
      return nullptr;
    }
    return operation;
  }

  // A response object, following a $ref into components.responses.
  const json::object* response_object(const json::value& response) const {
    const auto* object = response.if_object();
    if (!object) return nullptr;
    const auto* ref = object->if_contains("$ref");
    if (!ref || !ref->is_string()) return object;
    const std::string_view pointer = ref->get_string();
    if (pointer.rfind("#/", 0) != 0) return nullptr;
    json::error_code ec;
    const json::value* target = document.find_pointer(pointer.substr(1), ec);
    return target ? target->if_object() : nullptr;
  }
};

OpenApiSpec::OpenApiSpec(const std::string& file, const std::string& sha256, SpecOptions options)
    : impl_(std::make_unique<Impl>()) {
  const std::string path = std::string(SLUICE_OPENAPI_SPEC_DIR) + "/" + file;
  const std::string text = read_gzip(path);
  if (const std::string digest = sha256_hex(text); digest != sha256) {
    throw std::runtime_error(path + ": SHA-256 " + digest + ", not the published file's " + sha256);
  }
  impl_->options = options;
  impl_->document = json::parse(text);
  const auto& document = impl_->document.as_object();
  impl_->base = server_path(document);
  json::value components = document.at("components");
  if (auto* schemas = components.as_object().if_contains("schemas"); schemas && schemas->is_object()) {
    for (auto& [name, schema] : schemas->get_object()) adapt_schema(schema, options);
  }
  impl_->root = json::object{{"components", std::move(components)}};
  for (const auto& [text_path, item] : document.at("paths").as_object()) {
    impl_->templates.push_back({split_path(text_path), std::string(text_path)});
  }
}

OpenApiSpec::~OpenApiSpec() = default;

OpenApiSpec::Verdict OpenApiSpec::check(const std::string& method, const std::string& path, int status,
                                        const std::string& body) const {
  Verdict verdict;
  const std::string where = method + " " + path + " " + std::to_string(status) + ": ";
  const json::value* operation = impl_->find_operation(method, path, where, verdict);
  if (!operation) return verdict;
  const auto* responses = operation->as_object().if_contains("responses");
  if (!responses || !responses->is_object()) {
    verdict.errors.push_back(where + "the operation documents no responses");
    return verdict;
  }
  const auto& documented = responses->get_object();
  const std::string code = std::to_string(status);
  const std::string range = code.substr(0, 1) + "XX";
  const json::value* response = documented.if_contains(code);
  if (!response) response = documented.if_contains(range);
  if (!response) response = documented.if_contains("default");
  if (!response) {
    const bool documents_errors = std::any_of(documented.begin(), documented.end(),
                                              [](const auto& entry) { return entry.key().front() >= '4'; });
    if (status >= 300 && !documents_errors) return verdict;  // Google lists only 200
    verdict.errors.push_back(where + "status " + code + " is not documented for " + verdict.operation);
    return verdict;
  }
  const json::object* answer = impl_->response_object(*response);
  const auto* content = answer ? answer->if_contains("content") : nullptr;
  const json::value* media = content && content->is_object() ? content->get_object().if_contains("application/json")
                                                             : nullptr;
  // NDJSON (a streamed body): its schema describes the array of its lines.
  const json::value* lines_media =
      !media && content && content->is_object() ? content->get_object().if_contains("application/x-ndjson") : nullptr;
  if (lines_media) media = lines_media;
  const json::value* schema = media && media->is_object() ? media->get_object().if_contains("schema") : nullptr;
  if (!schema) return verdict;  // documented without a body schema
  json::error_code ec;
  json::value parsed;
  if (lines_media) {
    json::array lines;
    size_t start = 0;
    while (start < body.size() && !ec) {
      const size_t end = std::min(body.find('\n', start), body.size());
      lines.push_back(json::parse(std::string_view(body).substr(start, end - start), ec));
      start = end + 1;
    }
    parsed = std::move(lines);
  } else {
    parsed = json::parse(body, ec);
  }
  if (ec) {
    verdict.errors.push_back(where + "the body is not JSON (" + ec.message() + ")");
    return verdict;
  }
  const auto& compiled = impl_->schema_for(verdict.operation + " " + code, *schema);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(parsed);
  validator.validate(compiled, target, &results);
  verdict.checked = true;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) verdict.errors.push_back(where + pointer_text(error.context) + ": " + error.description);
  return verdict;
}


OpenApiSpec::Verdict OpenApiSpec::check_request(const std::string& method, const std::string& path,
                                                const std::string& body) const {
  Verdict verdict;
  const std::string where = method + " " + path + " (request): ";
  const json::value* operation = impl_->find_operation(method, path, where, verdict);
  if (!operation) return verdict;
  const auto* request_body = operation->as_object().if_contains("requestBody");
  const auto* content = request_body && request_body->is_object() ? request_body->get_object().if_contains("content")
                                                                  : nullptr;
  const json::value* schema = nullptr;
  if (content && content->is_object()) {
    for (const auto& [media, entry] : content->get_object()) {
      const auto* found = entry.is_object() ? entry.get_object().if_contains("schema") : nullptr;
      if (found && (!schema || media == "application/json")) schema = found;
    }
  }
  if (!schema) return verdict;  // documented without a request schema
  json::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (ec) {
    verdict.errors.push_back(where + "the body is not JSON (" + ec.message() + ")");
    return verdict;
  }
  const auto& compiled = impl_->schema_for(verdict.operation + " request", *schema);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(parsed);
  validator.validate(compiled, target, &results);
  verdict.checked = true;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) verdict.errors.push_back(where + pointer_text(error.context) + ": " + error.description);
  return verdict;
}

}  // namespace sluice::testkit
