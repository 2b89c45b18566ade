// SPDX-License-Identifier: MIT
// Helpers shared by the renderers in report.cpp and report_text.cpp.
#pragma once

#include <string>
#include <string_view>

#include "safetywash/analysis.h"
#include "safetywash/benchmarks.h"

namespace safetywash {

/// Quotes a CSV field when it contains a comma, quote or line break.
std::string csv_escape(std::string_view field);

/// Text or Markdown listing of the capabilities component.
std::string render_capabilities_text(const CapabilitiesSummary& summary, bool markdown);

/// Text or Markdown listing of the registry.
std::string render_registry_text(const Registry& registry, bool markdown);

}  // namespace safetywash
