#include "trialledger/sdk/genesis.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/roles.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl {
namespace {

// account = "ERP code" lines, kept sorted by account. Whether the accounts are those of the
// organisation's chart is the books' to say (docs/books.md).
absl::Status ReadAccountCodes(const toml::table& codes, std::string_view origin,
                              std::string_view what,
                              google::protobuf::RepeatedPtrField<v1::AccountCode>* out) {
  std::vector<std::pair<std::string, std::string>> sorted;
  for (const auto& [account, code] : codes) {
    if (!code.is_string()) {
      return absl::InvalidArgumentError(fmt::format(
          "{}:{}:{}: {}: the code of '{}' must be a string", origin, code.source().begin.line,
          code.source().begin.column, what, std::string_view(account.str())));
    }
    sorted.emplace_back(std::string(account.str()), code.as_string()->get());
  }
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [account, code] : sorted) {
    v1::AccountCode* entry = out->Add();
    entry->set_account(account);
    entry->set_erp_code(code);
  }
  return absl::OkStatus();
}

// Where each record of a genesis file starts, so that a rule across records (a name or key used
// twice) names the line of the record that breaks it.
struct RecordPlaces {
  std::vector<toml::source_position> organizations, members, nodes;
};

absl::Status ValidateGenesisAt(const v1::Genesis& genesis, const RecordPlaces* places) {
  // "12:1: members[3]: " when the file is known, else "".
  auto at = [&](const std::vector<toml::source_position> RecordPlaces::*section,
                std::string_view name, int index) -> std::string {
    if (places == nullptr || index >= static_cast<int>((places->*section).size())) return "";
    const toml::source_position& where = (places->*section)[index];
    return StrCat(where.line, ":", where.column, ": ", name, "[", index, "]: ");
  };
  int index = -1;
  if (genesis.chain_id().empty()) return absl::InvalidArgumentError("chain_id is empty");
  absl::Status chain = ValidateName(genesis.chain_id(), "chain_id");
  if (!chain.ok()) return chain;
  std::set<std::string> orgs, nodes, keys, admins_of;
  for (const auto& org : genesis.organizations()) {
    ++index;
    const std::string here = at(&RecordPlaces::organizations, "organizations", index);
    absl::Status status = ValidateOrganization(org);
    if (!status.ok()) return status;
    if (!orgs.insert(org.name()).second) {
      return absl::InvalidArgumentError(StrCat(here, "organization '", org.name(), "' twice"));
    }
  }
  std::set<std::pair<std::string, std::string>> member_names;
  index = -1;
  for (const auto& member : genesis.members()) {
    ++index;
    const std::string here = at(&RecordPlaces::members, "members", index);
    absl::Status status = ValidateMember(member);
    if (!status.ok()) return status;
    if (!orgs.contains(member.org())) {
      return absl::InvalidArgumentError(
          StrCat(here, "member '", member.name(), "': unknown organization '", member.org(), "'"));
    }
    if (!member_names.insert({member.org(), member.name()}).second) {
      return absl::InvalidArgumentError(
          StrCat(here, "member '", member.name(), "' twice in organization '", member.org(), "'"));
    }
    if (!keys.insert(member.public_key()).second) {
      return absl::InvalidArgumentError(
          StrCat(here, "member '", member.name(), "': public_key is already used"));
    }
    for (const auto& role : member.roles()) {
      if (role == roles::kAdmin) admins_of.insert(member.org());
    }
  }
  index = -1;
  for (const auto& node : genesis.nodes()) {
    ++index;
    const std::string here = at(&RecordPlaces::nodes, "nodes", index);
    absl::Status status = ValidateNode(node);
    if (!status.ok()) return status;
    if (!orgs.contains(node.org())) {
      return absl::InvalidArgumentError(
          StrCat(here, "node '", node.name(), "': unknown organization '", node.org(), "'"));
    }
    if (!nodes.insert(node.name()).second) {
      return absl::InvalidArgumentError(StrCat(here, "node '", node.name(), "' twice"));
    }
    if (!keys.insert(node.public_key()).second) {
      return absl::InvalidArgumentError(
          StrCat(here, "node '", node.name(), "': public_key is already used"));
    }
  }
  for (const auto& org : orgs) {
    if (!admins_of.contains(org)) {
      return absl::InvalidArgumentError(
          StrCat("organization '", org, "' has no member with the admin role"));
    }
  }
  if (genesis.nodes().empty()) return absl::InvalidArgumentError("the network has no [[nodes]]");
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateGenesis(const v1::Genesis& genesis) {
  return ValidateGenesisAt(genesis, nullptr);
}

absl::Status ReadOrganizationAccountMap(const toml::table& organization, std::string_view origin,
                                        size_t index, v1::Organization* org) {
  const toml::node* node = organization.get("account_map");
  if (node == nullptr) return absl::OkStatus();
  const std::string what = StrCat("organizations[", index, "].account_map");
  const toml::table* codes = node->as_table();
  if (codes == nullptr) {
    return absl::InvalidArgumentError(
        fmt::format("{}:{}:{}: {}: must be a table of account = \"ERP code\" lines", origin,
                    node->source().begin.line, node->source().begin.column, what));
  }
  return ReadAccountCodes(*codes, origin, what, org->mutable_account_map());
}

absl::StatusOr<GenesisDocument> ParseGenesis(std::string_view text, std::string_view origin) {
  absl::StatusOr<toml::table> parsed = ParseToml(text, origin);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  GenesisDocument document;
  v1::Genesis& genesis = document.genesis;
  RecordPlaces places;
  TableReader top(root, std::string(origin), "genesis");
  genesis.set_chain_id(top.String("chain_id"));
  genesis.set_genesis_time_ms(
      top.Integer("genesis_time_ms", 0, 0, std::numeric_limits<int64_t>::max()));
  if (!top.status().ok()) return top.status();

  absl::Status status =
      ForEachTable(root, "organizations", origin, [&](const toml::table& t, size_t i) {
        places.organizations.push_back(t.source().begin);
        TableReader reader(t, std::string(origin), StrCat("organizations[", i, "]"));
        v1::Organization* org = genesis.add_organizations();
        org->set_name(reader.String("name"));
        org->set_display_name(reader.String("display_name", false));
        std::string kind = reader.String("kind");
        if (reader.status().ok()) {
          absl::StatusOr<v1::OrgKind> parsed_kind = ParseOrgKind(kind);
          reader.Check(parsed_kind.status());
          if (parsed_kind.ok()) org->set_kind(*parsed_kind);
        }
        if (reader.status().ok()) reader.Check(ValidateOrganization(*org));
        if (reader.status().ok()) reader.Check(ReadOrganizationAccountMap(t, origin, i, org));
        return reader.status();
      });
  if (!status.ok()) return status;

  status = ForEachTable(root, "members", origin, [&](const toml::table& t, size_t i) {
    places.members.push_back(t.source().begin);
    TableReader reader(t, std::string(origin), StrCat("members[", i, "]"));
    v1::Member* member = genesis.add_members();
    member->set_name(reader.String("name"));
    member->set_org(reader.String("org"));
    member->set_display_name(reader.String("display_name", false));
    member->set_public_key(reader.Key("public_key"));
    for (auto& role : reader.Strings("roles"))
      member->add_roles(role);
    if (reader.status().ok()) reader.Check(ValidateMember(*member));
    return reader.status();
  });
  if (!status.ok()) return status;

  status = ForEachTable(root, "nodes", origin, [&](const toml::table& t, size_t i) {
    places.nodes.push_back(t.source().begin);
    TableReader reader(t, std::string(origin), StrCat("nodes[", i, "]"));
    v1::NodeInfo* node = genesis.add_nodes();
    node->set_name(reader.String("name"));
    node->set_org(reader.String("org"));
    node->set_address(reader.String("address"));
    node->set_peer_address(reader.String("peer_address"));
    node->set_public_key(reader.Key("public_key"));
    if (reader.status().ok()) reader.Check(ValidateNode(*node));
    return reader.status();
  });
  if (!status.ok()) return status;

  status = ValidateGenesisAt(genesis, &places);
  if (!status.ok()) {
    // A record's rule already starts "line:column: "; a rule of the whole file does not.
    const bool placed =
        !status.message().empty() && status.message()[0] >= '0' && status.message()[0] <= '9';
    return absl::InvalidArgumentError(StrCat(origin, placed ? ":" : ": ", status.message()));
  }
  document.text = std::string(text);
  document.hash = Blake2b256(text);
  return document;
}

absl::StatusOr<GenesisDocument> ReadGenesisFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseGenesis(*text, path);
}

std::string FormatGenesis(const v1::Genesis& genesis) {
  std::ostringstream out;
  out << "# TrialLedger network genesis. Every node must hold this exact file: its hash is the\n"
      << "# first link of the chain. See docs/network-config.md.\n";
  out << "chain_id = " << toml::value<std::string>(genesis.chain_id()) << "\n";
  out << "genesis_time_ms = " << genesis.genesis_time_ms() << "\n";
  for (const auto& org : genesis.organizations()) {
    out << "\n[[organizations]]\n"
        << "name = " << toml::value<std::string>(org.name()) << "\n"
        << "kind = \"" << OrgKindName(org.kind()) << "\"\n";
    if (!org.display_name().empty()) {
      out << "display_name = " << toml::value<std::string>(org.display_name()) << "\n";
    }
    if (!org.account_map().empty()) {
      out << "[organizations.account_map]   # account = \"its ERP code\" (docs/books.md)\n";
      for (const v1::AccountCode& code : org.account_map()) {
        out << code.account() << " = " << toml::value<std::string>(code.erp_code()) << "\n";
      }
    }
  }
  for (const auto& member : genesis.members()) {
    out << "\n[[members]]\n"
        << "name = " << toml::value<std::string>(member.name()) << "\n"
        << "org = " << toml::value<std::string>(member.org()) << "\n";
    if (!member.display_name().empty()) {
      out << "display_name = " << toml::value<std::string>(member.display_name()) << "\n";
    }
    out << "roles = [";
    for (int i = 0; i < member.roles_size(); ++i) {
      out << (i ? ", " : "") << toml::value<std::string>(member.roles(i));
    }
    out << "]\n"
        << "public_key = \"" << ToHex(member.public_key()) << "\"\n";
  }
  for (const auto& node : genesis.nodes()) {
    out << "\n[[nodes]]\n"
        << "name = " << toml::value<std::string>(node.name()) << "\n"
        << "org = " << toml::value<std::string>(node.org()) << "\n"
        << "address = " << toml::value<std::string>(node.address()) << "\n"
        << "peer_address = " << toml::value<std::string>(node.peer_address()) << "\n"
        << "public_key = \"" << ToHex(node.public_key()) << "\"\n";
  }
  return out.str();
}

absl::StatusOr<google::protobuf::RepeatedPtrField<v1::AccountCode>> ParseAccountMap(
    std::string_view text, std::string_view origin) {
  absl::StatusOr<toml::table> parsed = ParseToml(text, origin);
  if (!parsed.ok()) return parsed.status();
  google::protobuf::RepeatedPtrField<v1::AccountCode> map;
  absl::Status read = ReadAccountCodes(*parsed, origin, "account map", &map);
  if (!read.ok()) return read;
  return map;
}

}  // namespace tl
