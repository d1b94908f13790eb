#include "postgres_server.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <pqxx/pqxx>

#include "process.h"

namespace tl::testing {
namespace {

constexpr char kRunUser[] = "/usr/sbin/runuser";
constexpr char kServerUser[] = "postgres";

}  // namespace

std::string PostgresServer::BinDir() {
  const char* from_env = std::getenv("TL_PG_BIN");
  return from_env != nullptr && *from_env != '\0' ? from_env : "/usr/lib/postgresql/15/bin";
}

int PostgresServer::RunAsServerUser(const std::vector<std::string>& argv, std::string* err) const {
  std::vector<std::string> full = argv;
  if (as_postgres_user_) full.insert(full.begin(), {kRunUser, "-u", kServerUser, "--"});
  CommandResult result = RunCommand(full);
  if (err != nullptr) *err = result.out + result.err;
  return result.exit_code;
}

PostgresServer::PostgresServer() {
  char pattern[] = "/tmp/tl-postgres-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = pattern;
  data_ = dir_ + "/data";
  log_path_ = dir_ + "/server.log";
  as_postgres_user_ = ::geteuid() == 0;
  if (as_postgres_user_) {
    const passwd* user = ::getpwnam(kServerUser);
    if (user == nullptr) {
      error_ = "running as root and there is no 'postgres' user to run the server as";
      return;
    }
    if (::chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      error_ = "cannot hand " + dir_ + " to the postgres user";
      return;
    }
  }
  std::string out;
  if (RunAsServerUser({BinDir() + "/initdb", "-D", data_, "-U", "tl", "-A", "trust", "-E", "UTF8",
                       "--locale=C", "--no-sync"},
                      &out) != 0) {
    error_ = "initdb failed: " + out;
    return;
  }
  port_ = FreePort();
  if (!Start()) error_ = "pg_ctl start failed: " + log();
}

PostgresServer::~PostgresServer() {
  if (!data_.empty() && std::filesystem::exists(data_ + "/postmaster.pid")) Stop(true);
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresServer::uri() const {
  return "postgresql://tl@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

bool PostgresServer::Start() {
  const std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                              " -c listen_addresses=127.0.0.1 -c max_connections=50";
  return RunAsServerUser({BinDir() + "/pg_ctl", "-D", data_, "-l", log_path_, "-w", "-t", "60",
                          "-o", options, "start"},
                         nullptr) == 0;
}

bool PostgresServer::Stop(bool immediate) {
  return RunAsServerUser({BinDir() + "/pg_ctl", "-D", data_, "-w", "-t", "60", "-m",
                          immediate ? "immediate" : "fast", "stop"},
                         nullptr) == 0;
}

std::vector<std::vector<std::string>> PostgresServer::Query(const std::string& sql) const {
  std::vector<std::vector<std::string>> rows;
  try {
    pqxx::connection connection(uri());
    pqxx::nontransaction work(connection);
    for (const pqxx::row& row : work.exec(sql)) {
      std::vector<std::string>& out = rows.emplace_back();
      for (const pqxx::field& field : row)
        out.push_back(field.is_null() ? "" : field.c_str());
    }
  } catch (const std::exception& error) {
    ADD_FAILURE() << "postgres query `" << sql << "`: " << error.what();
    rows.clear();
  }
  return rows;
}

std::string PostgresServer::log() const {
  return ReadFile(log_path_);
}

}  // namespace tl::testing
