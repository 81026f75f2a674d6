// Secret references in a config: {"$env": NAME} and {"$file": PATH}.
#include "common/temp_dir.hpp"
#include "host/config/config_error.hpp"
#include "host/config/secret_refs.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>

using namespace sluice::host;
namespace json = boost::json;

namespace {

std::string error_of(const std::string& config, const std::filesystem::path& base = "/") {
  try {
    resolve_secret_refs(json::parse(config).as_object(), base, "source.config");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("$env and $file references are replaced anywhere in the config") {
  sluice::test::TempDir dir;
  dir.write("secret.txt", "s3cr3t-from-file\n");
  std::filesystem::create_directories(dir.path() / "keys");
  dir.write("keys/key.pem", "-----BEGIN-----\nabc\n-----END-----\r\n");
  ::setenv("SLUICE_TEST_TOKEN", "tok-from-env", 1);
  auto config = json::parse(R"({"domain":"x.example","token":{"$env":"SLUICE_TEST_TOKEN"},
     "credentials":{"client_secret":{"$file":"secret.txt"}},
     "keys":[{"$file":"keys/key.pem"},"plain"],
     "absolute":{"$file":")" + dir.file("secret.txt") + R"("}})").as_object();
  auto out = resolve_secret_refs(config, dir.path(), "source.config");
  CHECK(json::serialize(out) ==
        R"({"domain":"x.example","token":"tok-from-env","credentials":{"client_secret":"s3cr3t-from-file"},)"
        R"("keys":["-----BEGIN-----\nabc\n-----END-----","plain"],"absolute":"s3cr3t-from-file"})");
  ::unsetenv("SLUICE_TEST_TOKEN");
}

TEST_CASE("only one trailing newline of a secret file is removed") {
  sluice::test::TempDir dir;
  dir.write("two.txt", "abc\n\n");
  auto out = resolve_secret_refs(json::parse(R"({"k":{"$file":"two.txt"}})").as_object(), dir.path(), "c");
  CHECK(out.at("k") == "abc\n");
}

TEST_CASE("a missing environment variable names the variable and the path") {
  ::unsetenv("SLUICE_TEST_UNSET_SECRET");
  CHECK(error_of(R"({"credentials":{"client_secret":{"$env":"SLUICE_TEST_UNSET_SECRET"}}})") ==
        "source.config.credentials.client_secret: environment variable SLUICE_TEST_UNSET_SECRET is not set");
}

TEST_CASE("an unreadable secret file names the file, the reason and the path") {
  sluice::test::TempDir dir;
  CHECK(error_of(R"({"keys":[1,{"$file":"nope.txt"}]})", dir.path()) ==
        "source.config.keys[1]: cannot read secret file " + dir.file("nope.txt") + ": No such file or directory");
}

TEST_CASE("a malformed reference is rejected") {
  const std::string expected =
      "source.config.token: a reference must be {\"$env\": NAME} or {\"$file\": PATH}, alone in its object";
  CHECK(error_of(R"({"token":{"$env":"A","other":1}})") == expected);
  CHECK(error_of(R"({"token":{"$env":5}})") == expected);
  CHECK(error_of(R"({"token":{"$file":""}})") == expected);
  CHECK(error_of(R"({"token":{"$env":"A","$file":"b"}})") == expected);
}

TEST_CASE("a config without references is returned unchanged") {
  auto config = json::parse(R"({"a":1,"b":{"c":[true,null,"x"]}})").as_object();
  CHECK(resolve_secret_refs(config, "/", "source.config") == config);
}

// Issue 20: a directory read as an empty secret (and the sync exited 0), a
// FIFO blocked forever, /dev/zero ended in std::bad_alloc.
TEST_CASE("a secret file must be a regular file of at most 1 MiB, else one line names the field and the file") {
  sluice::test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "folder");
  REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
  dir.write("big.txt", std::string((1 << 20) + 1, 'x'));
  dir.write("limit.txt", std::string(1 << 20, 'x'));
  CHECK(error_of(R"({"a":{"b":{"$file":"folder"}}})", dir.path()) ==
        "source.config.a.b: cannot read secret file " + dir.file("folder") + ": it is a directory, not a regular file");
  CHECK(error_of(R"({"k":{"$file":"fifo"}})", dir.path()) ==
        "source.config.k: cannot read secret file " + dir.file("fifo") + ": it is a FIFO, not a regular file");
  CHECK(error_of(R"({"k":[{"$file":"/dev/zero"}]})", dir.path()) ==
        "source.config.k[0]: cannot read secret file /dev/zero: it is a character device, not a regular file");
  CHECK(error_of(R"({"k":{"$file":"big.txt"}})", dir.path()) ==
        "source.config.k: cannot read secret file " + dir.file("big.txt") + ": it is larger than 1 MiB");
  auto out = resolve_secret_refs(json::parse(R"({"k":{"$file":"limit.txt"}})").as_object(), dir.path(), "c");
  CHECK(out.at("k").as_string().size() == 1 << 20);
}
