// A YAML connection file read as the JSON document it stands for, so the
// same validation, defaults and $env/$file references apply to both
// (docs/connection-file.md). yaml-cpp stays out of this header.
#pragma once

#include <boost/json.hpp>

#include <string_view>

namespace sluice::host {

// Converts one YAML document (YAML 1.2 core schema: plain null, true/false,
// integers and finite floats become JSON values, every other scalar a
// string; anchors and aliases are expanded). Refused, each in one line
// "FILE: line L, column C: why": text that is not YAML, more than one
// document, a duplicate key, a key that is not a string, a tag, .inf/.nan,
// nesting deeper than the JSON reader's limit, and aliases that expand past
// kMaxConnectionFileBytes. Throws ConfigError.
boost::json::value yaml_to_json(std::string_view text, std::string_view file_name);

// Whether `file` is read as YAML: its name ends in .yaml or .yml.
bool is_yaml_file_name(std::string_view file_name);

}  // namespace sluice::host
