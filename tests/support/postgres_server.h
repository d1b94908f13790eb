// A throwaway PostgreSQL server from Debian's postgresql-15 for tests and benchmarks: initdb in a
// temporary folder, pg_ctl on a free port of 127.0.0.1, trust authentication for user `tl`. As
// root it runs as the `postgres` system user, since PostgreSQL refuses to run as root.
#pragma once

#include <string>
#include <vector>

namespace tl::testing {

class PostgresServer {
 public:
  // The binaries: $TL_PG_BIN, else Debian's folder for PostgreSQL 15.
  static std::string BinDir();

  // Creates and starts the server; ok() says whether it did, error() why.
  PostgresServer();
  ~PostgresServer();  // stops it (immediately) and removes its folder
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // "postgresql://tl@127.0.0.1:PORT/postgres"
  std::string uri() const;
  int port() const { return port_; }

  // pg_ctl start / stop -m fast (or immediate: as if the machine lost power). True on success.
  bool Start();
  bool Stop(bool immediate = false);
  // Runs `sql` through libpqxx; each row's columns as text ("" for NULL). An error is a test
  // failure and an empty answer.
  std::vector<std::vector<std::string>> Query(const std::string& sql) const;
  std::string log() const;

 private:
  // `argv` as the server's user (runuser -u postgres when this process is root).
  int RunAsServerUser(const std::vector<std::string>& argv, std::string* err) const;

  std::string dir_, data_, log_path_;
  int port_ = 0;
  bool as_postgres_user_ = false;
  std::string error_;
};

}  // namespace tl::testing
