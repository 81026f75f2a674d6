# Poco's DataPostgreSQL and DataMySQL CMake packages (Debian 12, Poco 1.11)
# link against imported targets named PostgreSQL::client and MySQL::client
# but do not define them. Define both from the client libraries Debian ships
# (libpq-dev, libmariadb-dev) before find_package(Poco) runs.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()

find_package(PkgConfig REQUIRED)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
if(NOT TARGET MySQL::client)
  add_library(MySQL::client INTERFACE IMPORTED)
  target_link_libraries(MySQL::client INTERFACE PkgConfig::MARIADB)
endif()
