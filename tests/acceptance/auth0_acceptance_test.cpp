// The Auth0 connector passes `sluice test-plugin` against the fake tenant
// its end-to-end tests use (every stream, every mode it offers).
#include "auth0_tenant.hpp"

#include <catch2/catch.hpp>

using namespace auth0_test;

TEST_CASE("auth0 passes sluice test-plugin against its fake tenant") {
  Tenant t;
  auto run = sluice::test::run_sluice({"test-plugin", "auth0", "--config", t.connection(t.auth0.client_secret)});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: auth0 passed all 11 checks\n"));
  CHECK(run.all().find(t.auth0.client_secret) == std::string::npos);
}
