// Read permission end to end (docs/permissions.md): every CLI read command, run as every member
// of every organisation (the sponsor, the CRO, a third CRO with no contract here, the auditor the
// parties name and one nobody names), against a real node over TLS. Who may read what is stated
// here, independently of the node's table; refusals name the member and what it may not read.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "local_network.h"
#include "mobilisation_sow.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::LocalNetwork;

constexpr char kSponsor[] = "acme-bio";
constexpr char kCro[] = "northwind-cro";

struct Reader {
  std::string member, org, role;
};

// The members `network init` creates for these organisations (docs/network-config.md).
std::vector<Reader> Readers() {
  return {{"acme-bio-admin", kSponsor, "admin"},
          {"acme-bio-finance", kSponsor, "finance"},
          {"acme-bio-clinops", kSponsor, "clinops"},
          {"northwind-cro-admin", kCro, "admin"},
          {"northwind-cro-finance", kCro, "finance"},
          {"northwind-cro-clinops", kCro, "clinops"},
          {"northwind-cro-edc", kCro, "oracle:edc"},
          {"harbor-cro-admin", "harbor-cro", "admin"},
          {"harbor-cro-finance", "harbor-cro", "finance"},
          {"ledger-audit-admin", "ledger-audit", "admin"},
          {"ledger-audit-auditor", "ledger-audit", "auditor"},
          {"second-audit-auditor", "second-audit", "auditor"}};
}

// The fixture's grants: the CRO names ledger-audit for its book, the sponsor for the contract.
bool ContractReader(const Reader& r) {
  return r.org == kSponsor || r.org == kCro || (r.org == "ledger-audit" && r.role == "auditor");
}
bool BookReader(const Reader& r, const std::string& book) {
  if (r.org == book) return r.role == "finance" || r.role == "admin";
  return book == kCro && r.org == "ledger-audit" && r.role == "auditor";
}
bool RawReader(const Reader& r) {
  // The only node is the sponsor's (network init gives nodes to sponsors and CROs in turn).
  return (r.org == kSponsor && r.role == "admin") ||
         ((r.org == "ledger-audit" || r.org == "second-audit") && r.role == "auditor");
}

class PermissionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    network_ =
        new LocalNetwork(1,
                         "sponsor:acme-bio,cro:northwind-cro,cro:harbor-cro,auditor:ledger-audit,"
                         "auditor:second-audit");
    network_->Start(0);
    testing::TempDir* dir = new testing::TempDir();
    const std::string sow = dir->Sub("mob.sow");
    std::ofstream(sow) << testing::kMobilisationSow;
    Expect("northwind-cro-finance",
           {"contract", "propose", sow, "--id", "mob", "--effective", "2026-11-02"});
    Expect("acme-bio-finance", {"contract", "accept", "mob"});
    Expect("acme-bio-finance",
           {"access", "grant", "--auditor", "ledger-audit", "--contract", "mob"});
    json grant = Expect("northwind-cro-finance", {"access", "grant", "--auditor", "ledger-audit"});
    grant_tx_ = grant["tx_id"];
    grant_height_ = std::to_string(grant["height"].get<uint64_t>());
    delete dir;
  }
  static void TearDownTestSuite() {
    delete network_;
    network_ = nullptr;
  }

  static CommandResult Run(const std::string& member, std::vector<std::string> args) {
    args.insert(args.begin(), {"--key", network_->member_key_path(member)});
    args.insert(args.end(), {"-o", "json"});
    return network_->Cli(0, args);
  }
  static json Expect(const std::string& member, const std::vector<std::string>& args) {
    CommandResult result = Run(member, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? json::parse(result.out) : json();
  }
  // `args` as `reader`: it succeeds when `allowed`, else it is refused naming `what`.
  static void ExpectDecision(const Reader& reader, const std::vector<std::string>& args,
                             bool allowed, const std::string& what) {
    CommandResult result = Run(reader.member, args);
    std::string command;
    for (const std::string& arg : args)
      command += arg + " ";
    if (allowed) {
      EXPECT_EQ(result.exit_code, 0) << reader.member << ": " << command << result.err;
      return;
    }
    EXPECT_NE(result.exit_code, 0) << reader.member << ": " << command << result.out;
    const std::string refusal = "permission_denied: member '" + reader.member + "' of '" +
                                reader.org + "' may not read " + what;
    EXPECT_NE(result.err.find(refusal), std::string::npos)
        << reader.member << ": " << command << result.err;
  }

  static inline LocalNetwork* network_ = nullptr;
  static inline std::string grant_tx_, grant_height_;
};

TEST_F(PermissionsTest, EveryReadCommandAsEveryMemberOfEveryOrganisation) {
  const std::string contract = "contract 'mob'";
  struct Command {
    std::vector<std::string> args;
    std::function<bool(const Reader&)> allowed;
    std::string what;
  };
  std::vector<Command> commands = {
      {{"status"}, [](const Reader&) { return true; }, ""},
      {{"block", "list"}, [](const Reader&) { return true; }, ""},
      {{"member", "show"}, [](const Reader&) { return true; }, ""},
      {{"contract", "show", "mob"}, ContractReader, contract},
      {{"contract", "events", "mob"}, ContractReader, contract},
      {{"facts", "list", "--contract", "mob"}, ContractReader, contract},
      {{"milestones", "list", "--contract", "mob"}, ContractReader, contract},
      {{"invoice", "list", "--contract", "mob"}, ContractReader, contract},
      {{"invoice", "show", "northwind-cro/INV-00000001"},
       ContractReader,
       "invoice 'northwind-cro/INV-00000001'"},
      {{"access", "list", "--contract", "mob"}, ContractReader, contract},
      {{"report", "mirror", "--contract", "mob"},
       [](const Reader& r) { return BookReader(r, kSponsor) || BookReader(r, kCro); },
       "the mirror of contract 'mob'"},
      {{"report", "rollforward", "--contract", "mob"},
       [](const Reader& r) { return BookReader(r, kCro); },
       "book 'northwind-cro'"},
      {{"report", "invoice-match", "--contract", "mob"},
       [](const Reader& r) { return BookReader(r, kSponsor); },
       "book 'acme-bio'"},
      {{"report", "accruals", "--book", kSponsor},
       [](const Reader& r) { return BookReader(r, kSponsor); },
       "book 'acme-bio'"},
      {{"access", "list", "--book", kCro},
       [](const Reader& r) { return BookReader(r, kCro); },
       "book 'northwind-cro'"},
      {{"tx", "show", grant_tx_},
       [](const Reader& r) { return RawReader(r) || r.org == kCro; },
       "transaction " + grant_tx_},
  };
  for (const std::string book : {kSponsor, kCro}) {
    const auto reads = [book](const Reader& r) { return BookReader(r, book); };
    const std::string what = "book '" + book + "'";
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"books", "show", "--book", book},
             {"journal", "list", "--book", book},
             {"journal", "show", book + "/00000001"},
             {"report", "trial-balance", "--book", book, "--period", "2026-11"},
             {"report", "disclosures", "--book", book}}) {
      if (book == kSponsor && args[1] == "disclosures") continue;  // a CRO's report
      commands.push_back({args, reads, what});
    }
  }
  for (const Reader& reader : Readers()) {
    for (const Command& command : commands)
      ExpectDecision(reader, command.args, command.allowed(reader), command.what);
  }
}

TEST_F(PermissionsTest, ListsLeaveOutWhatTheMemberMayNotRead) {
  for (const Reader& reader : Readers()) {
    json contracts = Expect(reader.member, {"contract", "list"});
    EXPECT_EQ(contracts.size(), ContractReader(reader) ? 1u : 0u) << reader.member;
    // The grant's block: the whole block for a raw reader and the CRO that signed the grant;
    // for anyone else the grant is withheld, with nothing of it shown.
    json block = Expect(reader.member, {"block", "show", grant_height_});
    ASSERT_EQ(block["transactions"].size(), 1u) << block.dump();
    const json& tx = block["transactions"][0];
    if (RawReader(reader) || reader.org == kCro) {
      EXPECT_FALSE(tx.contains("withheld")) << reader.member;
      EXPECT_EQ(tx["tx_id"], grant_tx_) << reader.member;
    } else {
      EXPECT_EQ(tx, json({{"index", 0}, {"withheld", true}})) << reader.member;
      EXPECT_EQ(block["withheld"], 1) << reader.member;
    }
  }
}

TEST_F(PermissionsTest, RawBlocksStreamOnlyToOperatorsAdminsAndAuditors) {
  for (const Reader& reader : Readers()) {
    std::unique_ptr<LedgerClient> client = LedgerClient::Connect(network_->address(0), [&] {
      ClientOptions options = network_->client_options();
      options.member = network_->member_key(reader.member).keys;
      return options;
    }());
    grpc::ClientContext context;
    v1::StreamBlocksRequest request;
    request.set_from_height(1);
    client->Authenticate(context, request);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    std::unique_ptr<grpc::ClientReader<v1::Block>> stream =
        client->stub().StreamBlocks(&context, request);
    v1::Block block;
    const bool read = stream->Read(&block);
    if (read) context.TryCancel();  // the stream would follow new blocks
    grpc::Status status = stream->Finish();
    EXPECT_EQ(read, RawReader(reader)) << reader.member;
    if (!RawReader(reader)) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << reader.member;
    }
  }
}

}  // namespace
}  // namespace tl
