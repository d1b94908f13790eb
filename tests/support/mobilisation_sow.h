// A one-milestone SOW for tests of reads over a contract: the fee it pays at signature issues the
// CRO's first invoice and posts an entry on each book the moment the sponsor accepts.
#pragma once

namespace tl::testing {

inline constexpr char kMobilisationSow[] = R"(contract mob "Mobilised study" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-9"
feed "oracle:cost" of cro reports cost_incurred, estimate_at_completion
obligation services "Study services" {
  standalone price USD 300,000.00
  recognised over time by cost_to_cost
}
milestone mobilisation "Mobilisation fee, at signature" {
  when contract_signed
  pays USD 50,000.00
  for services
}
)";

}  // namespace tl::testing
