#include "network_init.h"

#include "network_spec.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/node/config.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/keyfile.h"
#include "trialledger/sdk/roles.h"
#include "trialledger/sdk/tls.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kCaValidityDays = 3650;
constexpr int kNodeCertificateValidityDays = 825;

absl::StatusOr<v1::Organization> ParseOrgFlag(std::string_view spec) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        StrCat("--orgs entry '", spec, "' must be kind:name, e.g. sponsor:acme-bio"));
  }
  absl::StatusOr<v1::OrgKind> kind = ParseOrgKind(spec.substr(0, colon));
  if (!kind.ok()) {
    return absl::InvalidArgumentError(
        StrCat("--orgs entry '", spec, "': kind must be sponsor, cro or auditor"));
  }
  v1::Organization org;
  org.set_name(std::string(spec.substr(colon + 1)));
  org.set_kind(*kind);
  return org;
}

absl::Status WriteText(const fs::path& path, std::string_view text, unsigned mode) {
  return WriteNewFile(path.string(), text, mode);
}

absl::StatusOr<NetworkLayout> WriteNetwork(const NetworkSpec& spec, const std::string& out_dir) {
  if (absl::Status valid = ValidateNetworkSpec(spec); !valid.ok()) return valid;
  fs::path out(out_dir);
  std::error_code error;
  if (fs::exists(out) && !fs::is_empty(out, error)) {
    return absl::AlreadyExistsError(
        StrCat(out_dir, " exists and is not empty; refusing to overwrite a network"));
  }
  v1::Genesis genesis;
  genesis.set_chain_id(spec.chain_id);
  genesis.set_genesis_time_ms(spec.genesis_time_ms);
  for (const OrgSpec& org : spec.orgs)
    *genesis.add_organizations() = org.org;

  fs::create_directories(out / "keys", error);
  if (error)
    return absl::InternalError(StrCat("cannot create ", out.string(), ": ", error.message()));
  NetworkLayout layout;
  for (const OrgSpec& org : spec.orgs) {
    for (const MemberSpec& spec_member : org.members) {
      KeyFile key{spec_member.name, GenerateKeyPair()};
      fs::path key_path = out / "keys" / StrCat(key.name, ".key");
      absl::Status written = WriteKeyFile(key_path.string(), key);
      if (!written.ok()) return written;
      v1::Member* member = genesis.add_members();
      member->set_name(key.name);
      member->set_org(org.org.name());
      member->set_public_key(key.keys.public_key);
      NetworkLayout::MemberEntry entry{
          key.name, org.org.name(), key_path.string(), ToHex(key.keys.public_key), {}};
      for (const std::string& role : spec_member.roles) {
        member->add_roles(role);
        entry.roles.push_back(role);
      }
      layout.members.push_back(std::move(entry));
    }
  }
  // The network's certificate authority for mutual TLS between nodes. Its key signs node
  // certificates; keep it offline once the network is set up.
  fs::create_directories(out / "tls", error);
  absl::StatusOr<PemPair> ca = CreateCertificateAuthority(spec.chain_id, kCaValidityDays);
  if (!ca.ok()) return ca.status();
  layout.tls_ca = (out / "tls" / "ca.crt").string();
  absl::Status ca_written = WriteText(layout.tls_ca, ca->certificate_pem, 0644);
  if (ca_written.ok()) ca_written = WriteText(out / "tls" / "ca.key", ca->private_key_pem, 0600);
  if (!ca_written.ok()) return ca_written;
  for (const NodeSpec& node_spec : spec.nodes) {
    KeyFile key{node_spec.name, GenerateKeyPair()};
    fs::path key_path = out / "keys" / StrCat(key.name, ".key");
    absl::Status written = WriteKeyFile(key_path.string(), key);
    if (!written.ok()) return written;
    v1::NodeInfo* node = genesis.add_nodes();
    node->set_name(key.name);
    node->set_org(node_spec.org);
    node->set_public_key(key.keys.public_key);
    node->set_address(StrCat(node_spec.host, ":", node_spec.port));
    node->set_peer_address(StrCat(node_spec.host, ":", node_spec.peer_port));

    absl::StatusOr<PemPair> certificate =
        IssueNodeCertificate(*ca, key.name, node_spec.host, kNodeCertificateValidityDays);
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
    layout.nodes.push_back({key.name, node_spec.org, (node_dir / "node.toml").string(),
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

// The spec's grants with the key each is signed with: the book's finance member (GrantAccess is
// a finance or admin action of the book's organisation), else its admin.
// `text` as a TOML basic string, quoted and escaped as toml++ writes it.
std::string TomlString(const std::string& text) {
  std::ostringstream out;
  out << toml::value<std::string>(text);
  return out.str();
}

// The member of `org` that signs its book's actions: its finance member, else its admin.
std::string BookSigner(const NetworkSpec& spec, const std::string& org_name) {
  for (const std::string_view role : {roles::kFinance, roles::kAdmin}) {
    for (const OrgSpec& org : spec.orgs) {
      if (org.org.name() != org_name) continue;
      for (const MemberSpec& member : org.members) {
        if (std::find(member.roles.begin(), member.roles.end(), role) != member.roles.end()) {
          return member.name;
        }
      }
    }
  }
  return "";
}

absl::Status WriteGrants(const NetworkSpec& spec, const std::string& out_dir) {
  std::string text =
      "# The auditor grants of the network spec. `trialledger network up` submits each one the\n"
      "# network does not hold yet, signed with signer_key, once the nodes have a leader.\n";
  for (const GrantSpec& grant : spec.grants) {
    const std::string signer = BookSigner(spec, grant.book);
    text += StrCat("\n[[grants]]\nauditor = ", TomlString(grant.auditor),
                   "\nbook = ", TomlString(grant.book),
                   "\nsigner_key = ", TomlString(StrCat("keys/", signer, ".key")), "\n");
  }
  return WriteText(fs::path(out_dir) / "grants.toml", text, 0644);
}

// Each accrual grid as DIR/accrual-grids/<contract>.json, in the form `books set-accrual-grid
// --file` reads (docs/books.md).
absl::Status WriteAccrualGrids(const NetworkSpec& spec, const std::string& out_dir,
                               NetworkLayout& layout) {
  const fs::path dir = fs::path(out_dir) / "accrual-grids";
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return absl::InternalError(StrCat(dir.string(), ": ", error.message()));
  for (const AccrualGridSpec& spec_grid : spec.accrual_grids) {
    const v1::SetAccrualGrid& grid = spec_grid.grid;
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    if (!grid.holdback_released_by().empty()) {
      json["holdback_released_by"] = grid.holdback_released_by();
    }
    json["rates"] = nlohmann::ordered_json::array();
    for (const v1::GridRate& rate : grid.rates()) {
      nlohmann::ordered_json item = {{"kind", rate.kind()}};
      if (!rate.visit_type().empty()) item["visit_type"] = rate.visit_type();
      if (!rate.site().empty()) item["site"] = rate.site();
      item["rate"] = contracts::FormatMoney(rate.rate_minor(), grid.currency());
      item["payee"] = rate.payee();
      if (rate.holdback_percent() != 0) item["holdback_percent"] = rate.holdback_percent();
      json["rates"].push_back(std::move(item));
    }
    const fs::path file = dir / StrCat(grid.contract_id(), ".json");
    if (absl::Status written = WriteText(file, json.dump(2) + "\n", 0644); !written.ok()) {
      return written;
    }
    layout.accrual_grids.push_back(
        {grid.contract_id(), file.string(),
         (fs::path(out_dir) / "keys" / StrCat(BookSigner(spec, spec_grid.sponsor), ".key"))
             .string()});
  }
  return absl::OkStatus();
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

absl::StatusOr<NetworkSpec> SpecFromFlags(const NetworkInitOptions& options) {
  if (options.nodes < 1 || options.nodes > 64) {
    return absl::InvalidArgumentError("--nodes must be between 1 and 64");
  }
  if (options.base_port < 1 || options.base_port + 2 * options.nodes > 65535) {
    return absl::InvalidArgumentError("--base-port leaves no room for the nodes' ports");
  }
  if (absl::Status chain = ValidateName(options.chain_id, "--chain-id"); !chain.ok()) return chain;
  if (!options.hosts.empty() && options.hosts.size() != static_cast<size_t>(options.nodes)) {
    return absl::InvalidArgumentError(StrCat("--hosts gives ", options.hosts.size(),
                                             " addresses for ", options.nodes,
                                             " nodes: give one per node"));
  }
  NetworkSpec spec;
  spec.chain_id = options.chain_id;
  spec.genesis_time_ms = options.genesis_time_ms;
  std::vector<std::string> node_orgs;
  for (const std::string& flag : options.orgs) {
    absl::StatusOr<v1::Organization> org = ParseOrgFlag(flag);
    if (!org.ok()) return org.status();
    if (absl::Status valid = ValidateOrganization(*org); !valid.ok()) return valid;
    AddSampleAccountMap(*org);
    if (org->kind() != v1::ORG_KIND_AUDITOR) node_orgs.push_back(org->name());
    spec.orgs.push_back({*org, DefaultMembers(*org)});
  }
  if (node_orgs.empty()) return absl::InvalidArgumentError("no sponsor or CRO org to run nodes");
  for (int i = 0; i < options.nodes; ++i) {
    const std::string& host = options.hosts.empty() ? options.host : options.hosts[i];
    spec.nodes.push_back({StrCat("node", i + 1), node_orgs[i % node_orgs.size()], host,
                          options.base_port + i, options.base_port + options.nodes + i});
  }
  return spec;
}

absl::StatusOr<NetworkLayout> InitNetwork(const NetworkInitOptions& options) {
  absl::StatusOr<NetworkSpec> spec =
      options.spec_path.empty() ? SpecFromFlags(options) : ReadNetworkSpecFile(options.spec_path);
  // A bad spec writes nothing: it is refused before the folder is touched.
  if (!spec.ok()) return spec.status();
  if (spec->genesis_time_ms == 0) spec->genesis_time_ms = options.genesis_time_ms;
  bool existed = fs::exists(options.out_dir);
  absl::StatusOr<NetworkLayout> layout = WriteNetwork(*spec, options.out_dir);
  if (layout.ok() && !spec->grants.empty()) {
    absl::Status grants = WriteGrants(*spec, options.out_dir);
    if (!grants.ok()) layout = grants;
  }
  if (layout.ok() && !spec->accrual_grids.empty()) {
    absl::Status grids = WriteAccrualGrids(*spec, options.out_dir, *layout);
    if (!grids.ok()) layout = grids;
  }
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
