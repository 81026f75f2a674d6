// Checks a fake's HTTP answers against the official OpenAPI document of the
// service it stands for, so a fake cannot drift from the service's shapes:
// each response's status must be one the operation documents, and its body
// must validate (valijson, JSON Schema draft 7) against the documented
// schema. Specs live in specs/ as published (see specs/SOURCES.md).
#pragma once

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice::testkit {

struct SpecOptions {
  // Objects that list `properties` but say nothing of others are closed
  // (additionalProperties: false). For Google's documents, converted from
  // Discovery documents that list every member a resource has, so a member
  // they do not list is one the service does not send.
  bool closed_objects = false;
};

class OpenApiSpec {
 public:
  // Loads specs/<file> (a gzip-compressed OpenAPI 3.0 or 3.1 JSON document)
  // and checks its SHA-256 (of the uncompressed text, lowercase hex). Throws
  // std::runtime_error when it cannot be read or the digest differs.
  OpenApiSpec(const std::string& file, const std::string& sha256, SpecOptions options = {});
  ~OpenApiSpec();
  OpenApiSpec(const OpenApiSpec&) = delete;
  OpenApiSpec& operator=(const OpenApiSpec&) = delete;

  struct Verdict {
    std::string operation;            // "GET /projects/{projectId}/queries/{jobId}"; "" when no path matched
    bool checked = false;             // a body was validated against a schema
    std::vector<std::string> errors;  // empty: the answer conforms
  };

  // The verdict on one answer: `path` as sent (still percent-encoded, without
  // the query; the spec's server path such as /api/v2 included), `status`,
  // `body` (the response text). An undocumented path, method or status is an
  // error; so is a body that is not JSON where JSON is documented. A status
  // the operation documents without a body schema is accepted unchecked; a
  // non-2xx status is accepted unchecked when the operation documents no
  // error status at all (Google's documents list only 200). A body
  // documented as application/x-ndjson (a stream) is checked as the array
  // of its lines, against the schema given for it. Compiles each
  // operation's schema on first use: one thread at a time.
  Verdict check(const std::string& method, const std::string& path, int status, const std::string& body) const;

  // The verdict on one request a connector sent: `body` against the
  // operation's requestBody schema, under whichever media type the spec
  // lists it (Google's documents put jobs.insert's Job under
  // application/octet-stream, for media uploads). An undocumented path or
  // method is an error; an operation without a request schema is accepted
  // unchecked.
  Verdict check_request(const std::string& method, const std::string& path, const std::string& body) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::testkit
