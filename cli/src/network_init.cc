#include "network_init.h"

#include <algorithm>
#include <filesystem>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/node/config.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/keyfile.h"
#include "trialledger/sdk/roles.h"
#include "trialledger/sdk/tls.h"

namespace tl::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kCaValidityDays = 3650;
constexpr int kNodeCertificateValidityDays = 825;

struct MemberTemplate {
  std::string_view suffix;
  std::vector<std::string_view> roles;
};

// The members a newcomer needs to run a trial end to end, per kind of organisation.
std::vector<MemberTemplate> MembersFor(v1::OrgKind kind) {
  switch (kind) {
    case v1::ORG_KIND_SPONSOR:
      return {{"admin", {roles::kAdmin}},
              {"finance", {roles::kFinance}},
              {"clinops", {roles::kClinops}}};
    case v1::ORG_KIND_CRO:
      return {{"admin", {roles::kAdmin}},     {"finance", {roles::kFinance}},
              {"clinops", {roles::kClinops}}, {"edc", {roles::kOracleEdc}},
              {"ctms", {roles::kOracleCtms}}, {"cost", {roles::kOracleCost}}};
    default:
      return {{"admin", {roles::kAdmin}}, {"auditor", {roles::kAuditor}}};
  }
}

absl::StatusOr<v1::Organization> ParseOrgSpec(std::string_view spec) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        StrCat("--orgs entry '", spec, "' must be kind:name, e.g. sponsor:acme-bio"));
  }
  std::string_view kind = spec.substr(0, colon);
  v1::Organization org;
  org.set_name(std::string(spec.substr(colon + 1)));
  if (kind == "sponsor") {
    org.set_kind(v1::ORG_KIND_SPONSOR);
  } else if (kind == "cro") {
    org.set_kind(v1::ORG_KIND_CRO);
  } else if (kind == "auditor") {
    org.set_kind(v1::ORG_KIND_AUDITOR);
  } else {
    return absl::InvalidArgumentError(
        StrCat("--orgs entry '", spec, "': kind must be sponsor, cro or auditor"));
  }
  return org;
}

// A sample chart of ERP codes for a new network's books (docs/books.md), so the reports show
// codes from the start; an organisation replaces them with `trialledger books set-account-map`.
void AddSampleAccountMap(v1::Organization& org) {
  static constexpr std::pair<std::string_view, std::string_view> kCro[] = {
      {"accounts_receivable", "1200"},
      {"cash", "1000"},
      {"contract_balance", "1250"},
      {"pass_through_receivable", "1270"},
      {"accrued_investigator_payments", "2150"},
      {"revenue_services", "4000"},
      {"revenue_reimbursed", "4100"},
      {"reimbursable_expense", "5100"}};
  static constexpr std::pair<std::string_view, std::string_view> kSponsor[] = {
      {"accounts_payable", "2000"},       {"accrued_clinical_costs", "2100"},
      {"accrued_holdback", "2110"},       {"cash", "1000"},
      {"prepaid_clinical_costs", "1400"}, {"rd_expense", "6100"}};
  std::vector<std::pair<std::string_view, std::string_view>> codes;
  if (org.kind() == v1::ORG_KIND_CRO) codes.assign(std::begin(kCro), std::end(kCro));
  if (org.kind() == v1::ORG_KIND_SPONSOR) codes.assign(std::begin(kSponsor), std::end(kSponsor));
  std::sort(codes.begin(), codes.end());
  for (const auto& [account, code] : codes) {
    v1::AccountCode* entry = org.add_account_map();
    entry->set_account(std::string(account));
    entry->set_erp_code(std::string(code));
  }
}

absl::Status WriteText(const fs::path& path, std::string_view text, unsigned mode) {
  return WriteNewFile(path.string(), text, mode);
}

absl::StatusOr<NetworkLayout> WriteNetwork(const NetworkInitOptions& options) {
  if (options.nodes < 1 || options.nodes > 64) {
    return absl::InvalidArgumentError("--nodes must be between 1 and 64");
  }
  if (options.base_port < 1 || options.base_port + 2 * options.nodes > 65535) {
    return absl::InvalidArgumentError("--base-port leaves no room for the nodes' ports");
  }
  fs::path out(options.out_dir);
  std::error_code error;
  if (fs::exists(out) && !fs::is_empty(out, error)) {
    return absl::AlreadyExistsError(
        StrCat(options.out_dir, " exists and is not empty; refusing to overwrite a network"));
  }
  v1::Genesis genesis;
  genesis.set_chain_id(options.chain_id);
  genesis.set_genesis_time_ms(options.genesis_time_ms);
  std::vector<const v1::Organization*> node_orgs;
  for (const std::string& spec : options.orgs) {
    absl::StatusOr<v1::Organization> org = ParseOrgSpec(spec);
    if (!org.ok()) return org.status();
    absl::Status valid = ValidateOrganization(*org);
    if (!valid.ok()) return valid;
    AddSampleAccountMap(*org);
    *genesis.add_organizations() = *org;
  }
  absl::Status chain_valid = ValidateName(options.chain_id, "--chain-id");
  if (!chain_valid.ok()) return chain_valid;
  for (const v1::Organization& org : genesis.organizations()) {
    if (org.kind() != v1::ORG_KIND_AUDITOR) node_orgs.push_back(&org);
  }
  if (node_orgs.empty()) return absl::InvalidArgumentError("no sponsor or CRO org to run nodes");

  fs::create_directories(out / "keys", error);
  if (error)
    return absl::InternalError(StrCat("cannot create ", out.string(), ": ", error.message()));
  NetworkLayout layout;
  for (const v1::Organization& org : genesis.organizations()) {
    for (const MemberTemplate& spec : MembersFor(org.kind())) {
      KeyFile key{StrCat(org.name(), "-", spec.suffix), GenerateKeyPair()};
      fs::path key_path = out / "keys" / StrCat(key.name, ".key");
      absl::Status written = WriteKeyFile(key_path.string(), key);
      if (!written.ok()) return written;
      v1::Member* member = genesis.add_members();
      member->set_name(key.name);
      member->set_org(org.name());
      member->set_public_key(key.keys.public_key);
      NetworkLayout::MemberEntry entry{
          key.name, org.name(), key_path.string(), ToHex(key.keys.public_key), {}};
      for (std::string_view role : spec.roles) {
        member->add_roles(std::string(role));
        entry.roles.emplace_back(role);
      }
      layout.members.push_back(std::move(entry));
    }
  }
  // The network's certificate authority for mutual TLS between nodes. Its key signs node
  // certificates; keep it offline once the network is set up.
  fs::create_directories(out / "tls", error);
  absl::StatusOr<PemPair> ca = CreateCertificateAuthority(options.chain_id, kCaValidityDays);
  if (!ca.ok()) return ca.status();
  layout.tls_ca = (out / "tls" / "ca.crt").string();
  absl::Status ca_written = WriteText(layout.tls_ca, ca->certificate_pem, 0644);
  if (ca_written.ok()) ca_written = WriteText(out / "tls" / "ca.key", ca->private_key_pem, 0600);
  if (!ca_written.ok()) return ca_written;
  for (int i = 0; i < options.nodes; ++i) {
    const v1::Organization& org = *node_orgs[i % node_orgs.size()];
    KeyFile key{StrCat("node", i + 1), GenerateKeyPair()};
    fs::path key_path = out / "keys" / StrCat(key.name, ".key");
    absl::Status written = WriteKeyFile(key_path.string(), key);
    if (!written.ok()) return written;
    v1::NodeInfo* node = genesis.add_nodes();
    node->set_name(key.name);
    node->set_org(org.name());
    node->set_public_key(key.keys.public_key);
    node->set_address(StrCat(options.host, ":", options.base_port + i));
    node->set_peer_address(StrCat(options.host, ":", options.base_port + options.nodes + i));

    absl::StatusOr<PemPair> certificate =
        IssueNodeCertificate(*ca, key.name, options.host, kNodeCertificateValidityDays);
    if (!certificate.ok()) return certificate.status();
    fs::path tls_cert = out / "tls" / StrCat(key.name, ".crt");
    fs::path tls_key = out / "tls" / StrCat(key.name, ".key");
    absl::Status tls_written = WriteText(tls_cert, certificate->certificate_pem, 0644);
    if (tls_written.ok()) tls_written = WriteText(tls_key, certificate->private_key_pem, 0600);
    if (!tls_written.ok()) return tls_written;

    fs::path node_dir = out / "nodes" / key.name;
    fs::create_directories(node_dir, error);
    node::NodeConfig config;
    config.name = key.name;
    config.listen_address = node->address();
    config.data_dir = "data";
    config.genesis_path = "../../genesis.toml";
    config.node_key_path = StrCat("../../keys/", key.name, ".key");
    config.peer_listen_address = node->peer_address();
    config.tls_ca_path = "../../tls/ca.crt";
    config.tls_cert_path = StrCat("../../tls/", key.name, ".crt");
    config.tls_key_path = StrCat("../../tls/", key.name, ".key");
    absl::Status config_written =
        WriteText(node_dir / "node.toml", node::FormatNodeConfig(config), 0644);
    if (!config_written.ok()) return config_written;
    layout.nodes.push_back({key.name, org.name(), (node_dir / "node.toml").string(),
                            node->address(), node->peer_address(), (node_dir / "data").string(),
                            tls_cert.string(), tls_key.string()});
  }
  absl::Status valid = ValidateGenesis(genesis);
  if (!valid.ok()) return valid;
  layout.genesis = (out / "genesis.toml").string();
  absl::Status genesis_written = WriteText(layout.genesis, FormatGenesis(genesis), 0644);
  if (!genesis_written.ok()) return genesis_written;
  return layout;
}

}  // namespace

absl::StatusOr<AddedNode> AddNodeFiles(const AddNodeOptions& options) {
  fs::path out(options.network_dir);
  absl::Status valid = ValidateName(options.name, "--name");
  if (!valid.ok()) return valid;
  if (options.port < 1 || options.port > 65535 || options.peer_port < 1 ||
      options.peer_port > 65535 || options.port == options.peer_port) {
    return absl::InvalidArgumentError("--port and --peer-port must be two different ports");
  }
  PemPair ca;
  absl::StatusOr<std::string> ca_certificate = ReadWholeFile((out / "tls" / "ca.crt").string());
  if (!ca_certificate.ok()) return ca_certificate.status();
  absl::StatusOr<std::string> ca_key = ReadWholeFile((out / "tls" / "ca.key").string());
  if (!ca_key.ok()) return ca_key.status();
  ca.certificate_pem = *std::move(ca_certificate);
  ca.private_key_pem = *std::move(ca_key);
  fs::path node_dir = out / "nodes" / options.name;
  if (fs::exists(node_dir)) {
    return absl::AlreadyExistsError(StrCat(node_dir.string(), " exists; pick another --name"));
  }
  KeyFile key{options.name, GenerateKeyPair()};
  fs::path key_path = out / "keys" / StrCat(key.name, ".key");
  absl::Status written = WriteKeyFile(key_path.string(), key);
  if (!written.ok()) return written;
  absl::StatusOr<PemPair> certificate =
      IssueNodeCertificate(ca, key.name, options.host, kNodeCertificateValidityDays);
  if (!certificate.ok()) return certificate.status();
  fs::path tls_cert = out / "tls" / StrCat(key.name, ".crt");
  fs::path tls_key = out / "tls" / StrCat(key.name, ".key");
  absl::Status tls_written = WriteText(tls_cert, certificate->certificate_pem, 0644);
  if (tls_written.ok()) tls_written = WriteText(tls_key, certificate->private_key_pem, 0600);
  if (!tls_written.ok()) return tls_written;
  std::error_code error;
  fs::create_directories(node_dir, error);
  if (error) return absl::InternalError(StrCat("cannot create ", node_dir.string()));
  node::NodeConfig config;
  config.name = key.name;
  config.listen_address = StrCat(options.host, ":", options.port);
  config.peer_listen_address = StrCat(options.host, ":", options.peer_port);
  config.data_dir = "data";
  config.genesis_path = "../../genesis.toml";
  config.node_key_path = StrCat("../../keys/", key.name, ".key");
  config.tls_ca_path = "../../tls/ca.crt";
  config.tls_cert_path = StrCat("../../tls/", key.name, ".crt");
  config.tls_key_path = StrCat("../../tls/", key.name, ".key");
  absl::Status config_written =
      WriteText(node_dir / "node.toml", node::FormatNodeConfig(config), 0644);
  if (!config_written.ok()) return config_written;
  return AddedNode{{key.name, "", (node_dir / "node.toml").string(), config.listen_address,
                    config.peer_listen_address, (node_dir / "data").string(), tls_cert.string(),
                    tls_key.string()},
                   key_path.string(),
                   ToHex(key.keys.public_key)};
}

absl::StatusOr<NetworkLayout> InitNetwork(const NetworkInitOptions& options) {
  bool existed = fs::exists(options.out_dir);
  absl::StatusOr<NetworkLayout> layout = WriteNetwork(options);
  if (!layout.ok() && layout.status().code() != absl::StatusCode::kAlreadyExists) {
    // Leave nothing half-written: remove what this run created.
    std::error_code ignored;
    if (existed) {
      for (const auto& entry : fs::directory_iterator(options.out_dir, ignored)) {
        fs::remove_all(entry.path(), ignored);
      }
    } else {
      fs::remove_all(options.out_dir, ignored);
    }
  }
  return layout;
}

}  // namespace tl::cli
