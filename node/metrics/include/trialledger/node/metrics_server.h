// The node's metrics endpoint: plain HTTP, GET /metrics answers with the Prometheus text format
// (Content-Type text/plain; version=0.0.4), anything else with 404. Served by cpp-httplib on
// threads of its own (limits::kMetricsHttpThreads), apart from the Raft and gRPC threads.
//
//   auto server = MetricsServer::Bind("127.0.0.1", 9151, [&] { return node->MetricsText(); });
//   if (!server.ok()) ...;              // e.g. the port is taken
//   (*server)->Start();
//   ...
//   (*server)->Stop();                  // also on destruction
//
// Metrics carry no ledger data (heights, counts, latencies), so the endpoint has no TLS and no
// authentication: bind it to an address only the monitoring system reaches.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace tl::node {

class MetricsServer {
 public:
  // Binds `host` (an IPv6 address without brackets) and `port` now, so a taken port is an error
  // here; serves only after Start(). `render` is called on a server thread for each scrape.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Bind(const std::string& host, int port,
                                                             std::function<std::string()> render);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  void Start();
  // Stops accepting, lets the scrapes in progress finish and joins the threads. Idempotent.
  void Stop();

 private:
  explicit MetricsServer(std::unique_ptr<httplib::Server> server);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};
};

}  // namespace tl::node
