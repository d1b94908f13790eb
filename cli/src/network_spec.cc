#include "network_spec.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/node/config.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/roles.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl::cli {
namespace {

// "origin:line:column: what: " for a cross-record rule, from where the record began.
std::string Place(std::string_view origin, const toml::source_position& where,
                  std::string_view what) {
  return StrCat(origin, ":", where.line, ":", where.column, ": ", what, ": ");
}

struct Places {
  std::vector<toml::source_position> orgs, nodes, grants, accrual_grids;
  std::vector<std::vector<toml::source_position>> members;  // per org
};

absl::Status ValidateAt(const NetworkSpec& spec, std::string_view origin, const Places* places) {
  auto at = [&](const std::vector<toml::source_position>& where, size_t i,
                std::string_view what) -> std::string {
    if (places == nullptr || i >= where.size()) return StrCat(what, "[", i, "]: ");
    return Place(origin, where[i], StrCat(what, "[", i, "]"));
  };
  auto fail = [](const std::string& here, const auto& message) {
    return absl::InvalidArgumentError(StrCat(here, std::string(message)));
  };
  absl::Status chain = ValidateName(spec.chain_id, "chain_id");
  if (!chain.ok()) return chain;
  std::map<std::string, v1::OrgKind> kinds;
  std::set<std::string> member_names;
  for (size_t i = 0; i < spec.orgs.size(); ++i) {
    const OrgSpec& org = spec.orgs[i];
    const std::string here =
        at(places ? places->orgs : std::vector<toml::source_position>{}, i, "organizations");
    if (absl::Status valid = ValidateOrganization(org.org); !valid.ok()) {
      return fail(here, valid.message());
    }
    if (!kinds.emplace(org.org.name(), org.org.kind()).second) {
      return fail(here, StrCat("organization '", org.org.name(), "' twice"));
    }
    bool admin = false;
    for (size_t m = 0; m < org.members.size(); ++m) {
      const MemberSpec& member = org.members[m];
      const std::string member_here =
          places != nullptr && i < places->members.size() && m < places->members[i].size()
              ? Place(origin, places->members[i][m],
                      StrCat("organizations[", i, "].members[", m, "]"))
              : StrCat(here, "members[", m, "]: ");
      if (absl::Status valid = ValidateName(member.name, "name"); !valid.ok()) {
        return fail(member_here, valid.message());
      }
      if (!member_names.insert(member.name).second) {
        return fail(member_here, StrCat("member '", member.name,
                                        "' twice (a key file is named "
                                        "after its member, so names are unique in the network)"));
      }
      if (member.roles.empty()) return fail(member_here, "'roles' is empty");
      for (const std::string& role : member.roles) {
        if (!roles::IsKnown(role)) return fail(member_here, StrCat("unknown role '", role, "'"));
        admin = admin || role == roles::kAdmin;
      }
    }
    if (!admin) {
      return fail(here,
                  StrCat("organization '", org.org.name(), "' has no member with the admin role"));
    }
  }
  std::set<std::string> node_names;
  std::set<std::pair<std::string, int>> ports;
  for (size_t i = 0; i < spec.nodes.size(); ++i) {
    const NodeSpec& node = spec.nodes[i];
    const std::string here =
        at(places ? places->nodes : std::vector<toml::source_position>{}, i, "nodes");
    if (absl::Status valid = ValidateName(node.name, "name"); !valid.ok()) {
      return fail(here, valid.message());
    }
    if (!node_names.insert(node.name).second || member_names.contains(node.name)) {
      return fail(here, StrCat("the name '", node.name, "' is taken (by a node or a member)"));
    }
    auto kind = kinds.find(node.org);
    if (kind == kinds.end()) return fail(here, StrCat("unknown organization '", node.org, "'"));
    if (kind->second == v1::ORG_KIND_AUDITOR) {
      return fail(here, StrCat("'", node.org,
                               "' is an auditor; nodes are run by a sponsor or a "
                               "CRO"));
    }
    if (node.host.empty()) return fail(here, "'host' is empty");
    // The node's config will be refused with this host, so the spec is refused now.
    if (absl::StatusOr<node::HostPort> address =
            node::ParseHostPort(StrCat(node.host, ":", node.port));
        !address.ok()) {
      return fail(here, StrCat("host: ", address.status().message()));
    }
    for (int port : {node.port, node.peer_port}) {
      if (port < 1 || port > 65535) {
        return fail(here, StrCat("port ", port, " is out of range (1-65535)"));
      }
      if (!ports.insert({node.host, port}).second) {
        return fail(here, StrCat(node.host, ":", port, " is used twice"));
      }
    }
  }
  if (spec.nodes.empty()) return absl::InvalidArgumentError(StrCat(origin, ": no [[nodes]]"));
  for (size_t i = 0; i < spec.grants.size(); ++i) {
    const GrantSpec& grant = spec.grants[i];
    const std::string here =
        at(places ? places->grants : std::vector<toml::source_position>{}, i, "grants");
    auto auditor = kinds.find(grant.auditor);
    if (auditor == kinds.end() || auditor->second != v1::ORG_KIND_AUDITOR) {
      return fail(here, StrCat("auditor '", grant.auditor, "' is not an auditor organisation"));
    }
    auto book = kinds.find(grant.book);
    if (book == kinds.end() || book->second == v1::ORG_KIND_AUDITOR) {
      return fail(here, StrCat("book '", grant.book, "' is not a sponsor's or a CRO's"));
    }
  }
  std::set<std::string> grid_contracts;
  for (size_t i = 0; i < spec.accrual_grids.size(); ++i) {
    const AccrualGridSpec& grid = spec.accrual_grids[i];
    const std::string here = at(
        places ? places->accrual_grids : std::vector<toml::source_position>{}, i, "accrual_grids");
    if (absl::Status valid = ValidateName(grid.grid.contract_id(), "contract"); !valid.ok()) {
      return fail(here, valid.message());
    }
    if (!grid_contracts.insert(grid.grid.contract_id()).second) {
      return fail(here, StrCat("contract '", grid.grid.contract_id(), "' has a grid already"));
    }
    auto sponsor = kinds.find(grid.sponsor);
    if (sponsor == kinds.end() || sponsor->second != v1::ORG_KIND_SPONSOR) {
      return fail(here, StrCat("sponsor '", grid.sponsor, "' is not a sponsor organisation"));
    }
    if (absl::Status valid =
            books::ValidateGrid(grid.grid.rates(), grid.grid.holdback_released_by());
        !valid.ok()) {
      return fail(here, valid.message());
    }
  }
  return absl::OkStatus();
}

// One [[accrual_grids.rates]] table: the fields of a grid file's rate (docs/books.md), the rate
// as money text in the grid's one currency.
absl::Status ReadGridRate(const toml::table& t, std::string_view origin, const std::string& what,
                          v1::SetAccrualGrid& grid) {
  if (absl::Status known = RejectUnknownKeys(
          t, {"kind", "visit_type", "site", "rate", "payee", "holdback_percent"}, origin, what);
      !known.ok()) {
    return known;
  }
  TableReader reader(t, std::string(origin), what);
  v1::GridRate* rate = grid.add_rates();
  rate->set_kind(reader.String("kind"));
  rate->set_visit_type(reader.String("visit_type", false));
  rate->set_site(reader.String("site", false));
  rate->set_payee(reader.String("payee"));
  rate->set_holdback_percent(static_cast<int32_t>(reader.Integer("holdback_percent", 0, 0, 100)));
  const std::string text = reader.String("rate");
  if (!reader.status().ok()) return reader.status();
  std::string currency, why;
  std::optional<int64_t> minor = contracts::ParseMoneyText(text, &currency, &why);
  if (!minor.has_value()) {
    reader.Fail(*t.get("rate"), StrCat("rate '", text, "': ", why));
  } else if (!grid.currency().empty() && currency != grid.currency()) {
    reader.Fail(*t.get("rate"),
                StrCat("rate in ", currency, "; the grid's other rates are in ", grid.currency()));
  }
  grid.set_currency(currency);
  rate->set_rate_minor(minor.value_or(0));
  return reader.status();
}

}  // namespace

std::vector<MemberSpec> DefaultMembers(const v1::Organization& org) {
  std::vector<std::pair<std::string_view, std::string_view>> members;
  switch (org.kind()) {
    case v1::ORG_KIND_SPONSOR:
      members = {
          {"admin", roles::kAdmin}, {"finance", roles::kFinance}, {"clinops", roles::kClinops}};
      break;
    case v1::ORG_KIND_CRO:
      members = {{"admin", roles::kAdmin},     {"finance", roles::kFinance},
                 {"clinops", roles::kClinops}, {"edc", roles::kOracleEdc},
                 {"ctms", roles::kOracleCtms}, {"cost", roles::kOracleCost}};
      break;
    default:
      members = {{"admin", roles::kAdmin}, {"auditor", roles::kAuditor}};
  }
  std::vector<MemberSpec> out;
  for (const auto& [suffix, role] : members) {
    out.push_back({StrCat(org.name(), "-", suffix), {std::string(role)}});
  }
  return out;
}

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

absl::Status ValidateNetworkSpec(const NetworkSpec& spec) {
  return ValidateAt(spec, "", nullptr);
}

absl::StatusOr<NetworkSpec> ParseNetworkSpec(std::string_view text, std::string_view origin) {
  absl::StatusOr<toml::table> parsed = ParseToml(text, origin);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  if (absl::Status known = RejectUnknownKeys(
          root,
          {"chain_id", "genesis_time_ms", "organizations", "nodes", "grants", "accrual_grids"},
          origin, "network spec");
      !known.ok()) {
    return known;
  }
  NetworkSpec spec;
  Places places;
  TableReader top(root, std::string(origin), "network spec");
  spec.chain_id = top.String("chain_id");
  spec.genesis_time_ms = top.Integer("genesis_time_ms", 0, 0, std::numeric_limits<int64_t>::max());
  if (!top.status().ok()) return top.status();

  absl::Status status =
      ForEachTable(root, "organizations", origin, [&](const toml::table& t, size_t i) {
        const std::string what = StrCat("organizations[", i, "]");
        places.orgs.push_back(t.source().begin);
        places.members.emplace_back();
        if (absl::Status known = RejectUnknownKeys(
                t, {"name", "kind", "display_name", "members", "account_map"}, origin, what);
            !known.ok()) {
          return known;
        }
        TableReader reader(t, std::string(origin), what);
        OrgSpec& org = spec.orgs.emplace_back();
        org.org.set_name(reader.String("name"));
        org.org.set_display_name(reader.String("display_name", false));
        const std::string kind = reader.String("kind");
        if (reader.status().ok()) {
          absl::StatusOr<v1::OrgKind> parsed_kind = ParseOrgKind(kind);
          if (!parsed_kind.ok())
            reader.Fail(*t.get("kind"), std::string(parsed_kind.status().message()));
          if (parsed_kind.ok()) org.org.set_kind(*parsed_kind);
        }
        if (!reader.status().ok()) return reader.status();
        if (t.contains("account_map")) {
          if (absl::Status map = ReadOrganizationAccountMap(t, origin, i, &org.org); !map.ok()) {
            return map;
          }
        } else {
          AddSampleAccountMap(org.org);
        }
        if (!t.contains("members")) {
          org.members = DefaultMembers(org.org);
          return absl::OkStatus();
        }
        return ForEachTable(t, "members", origin, [&](const toml::table& m, size_t j) {
          const std::string member_what = StrCat(what, ".members[", j, "]");
          places.members.back().push_back(m.source().begin);
          if (absl::Status known = RejectUnknownKeys(m, {"name", "roles"}, origin, member_what);
              !known.ok()) {
            return known;
          }
          TableReader member_reader(m, std::string(origin), member_what);
          MemberSpec& member = org.members.emplace_back();
          member.name = member_reader.String("name");
          member.roles = member_reader.Strings("roles");
          return member_reader.status();
        });
      });
  if (!status.ok()) return status;

  status = ForEachTable(root, "nodes", origin, [&](const toml::table& t, size_t i) {
    const std::string what = StrCat("nodes[", i, "]");
    places.nodes.push_back(t.source().begin);
    if (absl::Status known =
            RejectUnknownKeys(t, {"name", "org", "host", "port", "peer_port"}, origin, what);
        !known.ok()) {
      return known;
    }
    TableReader reader(t, std::string(origin), what);
    NodeSpec& node = spec.nodes.emplace_back();
    node.name = reader.String("name");
    node.org = reader.String("org");
    node.host = reader.String("host", false);
    if (node.host.empty() && !t.contains("host")) node.host = "127.0.0.1";
    node.port = static_cast<int>(reader.Integer("port", 0, 1, 65535));
    node.peer_port = static_cast<int>(reader.Integer("peer_port", 0, 1, 65535));
    if (reader.status().ok() && (!t.contains("port") || !t.contains("peer_port"))) {
      reader.Fail(t, "'port' and 'peer_port' are required");
    }
    return reader.status();
  });
  if (!status.ok()) return status;

  status = ForEachTable(root, "grants", origin, [&](const toml::table& t, size_t i) {
    const std::string what = StrCat("grants[", i, "]");
    places.grants.push_back(t.source().begin);
    if (absl::Status known = RejectUnknownKeys(t, {"auditor", "book"}, origin, what); !known.ok()) {
      return known;
    }
    TableReader reader(t, std::string(origin), what);
    GrantSpec& grant = spec.grants.emplace_back();
    grant.auditor = reader.String("auditor");
    grant.book = reader.String("book");
    return reader.status();
  });
  if (!status.ok()) return status;

  status = ForEachTable(root, "accrual_grids", origin, [&](const toml::table& t, size_t i) {
    const std::string what = StrCat("accrual_grids[", i, "]");
    places.accrual_grids.push_back(t.source().begin);
    if (absl::Status known = RejectUnknownKeys(
            t, {"contract", "sponsor", "holdback_released_by", "rates"}, origin, what);
        !known.ok()) {
      return known;
    }
    TableReader reader(t, std::string(origin), what);
    AccrualGridSpec& grid = spec.accrual_grids.emplace_back();
    grid.grid.set_contract_id(reader.String("contract"));
    grid.sponsor = reader.String("sponsor");
    grid.grid.set_holdback_released_by(reader.String("holdback_released_by", false));
    if (!reader.status().ok()) return reader.status();
    return ForEachTable(t, "rates", origin, [&](const toml::table& r, size_t j) {
      return ReadGridRate(r, origin, StrCat(what, ".rates[", j, "]"), grid.grid);
    });
  });
  if (!status.ok()) return status;
  if (absl::Status valid = ValidateAt(spec, origin, &places); !valid.ok()) return valid;
  return spec;
}

absl::StatusOr<NetworkSpec> ReadNetworkSpecFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseNetworkSpec(*text, path);
}

}  // namespace tl::cli
