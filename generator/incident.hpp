// Incident documents (`opsbook incident new`, and the portal's "Start incident"): a markdown
// file filled from a runbook: severity definition from its severity table, a timeline, its
// incident-response checklist keyed by step ids, health checks, escalation contacts and the
// post-mortem sections. Rendered through templates/incident.md.mustache (overridable).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "generator/templates.hpp"
#include "model/runbook.hpp"

namespace opsbook::generator {

struct SeverityLevel {
  std::string key;    // "SEV1"
  std::string label;  // "SEV1 - Critical" as the table writes it
  std::vector<std::pair<std::string, std::string>> details;  // other columns: "Response Time" -> "Immediate"
  bool from_runbook = false;
};

// The runbook's severity table, else `configured` (opsbook.yaml severities), else SEV1-SEV4.
std::vector<SeverityLevel> severity_levels(const model::Runbook& runbook, const std::vector<std::string>& configured);

struct IncidentRequest {
  std::string title;
  std::string severity;     // as given; matched ignoring case, spaces and dashes
  std::string environment;  // "" = none
  std::string started;      // UTC, "2026-11-24T01:30:00Z"
  std::string folder;       // where the document is written: its link to the runbook is relative to it ("" = as given)
};

// Throws opsbook::Error naming the known levels when the severity is not one of them.
std::string render_incident(const Templates& templates, const model::Runbook& runbook, const IncidentRequest& request,
                            const std::vector<std::string>& configured_severities);

// File name stem: ASCII letters and digits, everything else a dash ("incident" when empty).
std::string incident_slug(std::string_view title);

// For the portal: the document rendered with markers for the title, times and severity, and
// each severity's block, as JSON the page embeds; the browser only replaces the markers, so its
// document is the CLI's written to `folder` (the configured incidents folder).
std::string incident_portal_json(const Templates& templates, const model::Runbook& runbook, const std::vector<std::string>& configured_severities,
                                 const std::string& folder);

}  // namespace opsbook::generator
