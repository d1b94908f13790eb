// An SDK example: report one cost as the CRO's cost system would, signed by its member key, and
// wait for the ledger to commit it. Any node of the list will do; the client finds the leader.
//
//   tl-example-submit-fact --nodes 127.0.0.1:7051,127.0.0.1:7052 --ca tls/ca.crt
//       --key keys/northwind-cro-cost.key --contract mob --record-id C-1001
//       --amount-minor 125000 --currency USD --date 2026-11-03 --study S-9
#include <chrono>
#include <iostream>

#include <CLI/CLI.hpp>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/keyfile.h"
#include "trialledger/sdk/network_client.h"

namespace {

int Fail(const std::string& what) {
  std::cerr << "submit-fact: " << what << "\n";
  return 1;
}
int Fail(const absl::Status& status) {
  return Fail(std::string(status.message()));
}

}  // namespace

int main(int argc, char** argv) {
  std::string nodes, ca, key, contract, record_id, currency = "USD", date, study,
                                                   category = "labour";
  int64_t amount_minor = 0;
  CLI::App app{"Submit one cost_incurred fact and wait for its commit"};
  app.add_option("--nodes", nodes, "HOST:PORT,...")->required();
  app.add_option("--ca", ca, "the network CA certificate")->required();
  app.add_option("--key", key, "the cost system's member key file")->required();
  app.add_option("--contract", contract)->required();
  app.add_option("--record-id", record_id, "the cost record's id in its source system")->required();
  app.add_option("--amount-minor", amount_minor, "in minor units: 125000 is 1,250.00")->required();
  app.add_option("--currency", currency)->capture_default_str();
  app.add_option("--date", date, "YYYY-MM-DD")->required();
  app.add_option("--study", study, "the contract's study");
  app.add_option("--category", category)->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  absl::StatusOr<tl::KeyFile> signer = tl::ReadKeyFile(key);
  if (!signer.ok()) return Fail(signer.status());
  absl::StatusOr<std::string> ca_pem = tl::ReadWholeFile(ca);
  if (!ca_pem.ok()) return Fail(ca_pem.status());
  std::optional<int64_t> date_ms = tl::ParseIsoDate(date);
  if (!date_ms.has_value()) return Fail("--date " + date + ": give YYYY-MM-DD");

  tl::NetworkOptions options;
  options.client.ca_certificate_pem = *ca_pem;
  options.client.member = signer->keys;
  absl::StatusOr<std::unique_ptr<tl::NetworkClient>> network =
      tl::NetworkClient::Connect(tl::SplitAddresses(nodes), options);
  if (!network.ok()) return Fail(network.status());

  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  absl::StatusOr<tl::v1::SubmitTransactionResponse> committed =
      (*network)->SignAndSubmit(signer->keys, [&](tl::v1::TxBody& body) {
        tl::v1::FactBatch* batch = body.mutable_submit_facts();
        batch->set_contract_id(contract);
        tl::v1::Fact* fact = batch->add_facts();
        fact->set_source_system("erp");
        fact->set_source_record_id(record_id);
        fact->set_source_timestamp_ms(now_ms);
        fact->set_study(study);
        tl::v1::CostIncurred* cost = fact->mutable_cost_incurred();
        cost->set_category(category);
        cost->mutable_amount()->set_currency(currency);
        cost->mutable_amount()->set_amount_minor(amount_minor);
        cost->set_date_ms(*date_ms);
      });
  if (!committed.ok()) return Fail(committed.status());
  if (committed->status() != tl::v1::TX_STATUS_COMMITTED) {
    return Fail("rejected: " + committed->result().message());
  }
  std::cout << "committed " << tl::ToHex(committed->tx_id()) << " in block " << committed->height()
            << "\n";
  return 0;
}
