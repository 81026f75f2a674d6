#include "settings.hpp"

namespace bigquery {

namespace {

std::string text(const boost::json::object& config, const char* key) {
  const auto* value = config.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

Settings read_settings(const sluice::Config& typed) {
  const boost::json::object& config = typed.json();
  Settings settings;
  settings.project_id = text(config, "project_id");
  if (const auto* datasets = config.if_contains("datasets"); datasets && datasets->is_array()) {
    for (const auto& dataset : datasets->get_array()) {
      if (dataset.is_string()) settings.datasets.emplace_back(dataset.get_string());
    }
  }
  settings.query.location = text(config, "location");
  if (const auto* page_size = config.if_contains("page_size"); page_size && page_size->is_int64()) {
    settings.query.page_size = page_size->get_int64();
  }
  settings.credentials_json = text(config, "credentials_json");
  settings.endpoint = sluice::support::endpoint_from_config(config, kDefaultBaseUrl);
  return settings;
}

}  // namespace bigquery
