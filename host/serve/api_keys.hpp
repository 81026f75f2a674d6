// API keys: `sluice serve keys create --role R` makes one, shows it once, and
// the store keeps only its id, role, salt and a PBKDF2-HMAC-SHA256 hash
// (OpenSSL). A key reads "slk_<id>_<secret>": the id finds the row, the
// secret is checked against the hash in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::host::serve {

// viewer reads; operator also triggers and cancels syncs and resets state;
// admin also manages connections. Ordered: a higher role can do all a lower
// one can. ingest stands apart: it may only post events to ingest streams
// (which operator and admin may too), and read nothing.
enum class Role { ingest = -1, viewer = 0, operator_ = 1, admin = 2 };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
// Whether a key of role `have` may call a route that `needs`.
bool role_allows(Role have, Role needs);
// The words of a 403: "the admin role", "the ingest, operator or admin role".
std::string role_needed(Role needs);

struct NewKey {
  std::string token;  // shown once, never stored
  std::string id;
  std::string salt;   // hex
  std::string hash;   // hex
};

NewKey make_api_key();

struct PresentedKey {
  std::string id;
  std::string secret;
};
// The parts of "slk_<id>_<secret>"; nullopt for anything else.
std::optional<PresentedKey> parse_api_key(std::string_view token);

// Whether `secret` hashes with `salt` to `hash` (constant-time comparison).
bool verify_api_key(const std::string& secret, const std::string& salt, const std::string& hash);

}  // namespace sluice::host::serve
