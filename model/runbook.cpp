// Names of the model's enums, and small look-ups.
#include "runbook.hpp"

namespace opsbook::model {

std::string_view to_string(SnippetKind kind) {
  switch (kind) {
    case SnippetKind::shell: return "shell";
    case SnippetKind::powershell: return "powershell";
    case SnippetKind::sql: return "sql";
    case SnippetKind::http: return "http";
    case SnippetKind::data: return "data";
    case SnippetKind::diagram: return "diagram";
    case SnippetKind::text: return "text";
    case SnippetKind::other: return "other";
    case SnippetKind::query: return "query";
  }
  return "text";
}

std::string_view to_string(Safety safety) {
  switch (safety) {
    case Safety::read_only: return "read-only";
    case Safety::mutating: return "mutating";
    case Safety::destructive: return "destructive";
  }
  return "mutating";
}

bool parse_safety(std::string_view text, Safety& out) {
  if (text == "read-only" || text == "readonly" || text == "read_only" || text == "safe") {
    out = Safety::read_only;
  } else if (text == "mutating") {
    out = Safety::mutating;
  } else if (text == "destructive" || text == "dangerous") {
    out = Safety::destructive;
  } else {
    return false;
  }
  return true;
}

std::string_view to_string(ParamKind kind) {
  return kind == ParamKind::env ? "env" : "placeholder";
}

std::string_view to_string(TableKind kind) {
  switch (kind) {
    case TableKind::generic: return "generic";
    case TableKind::health: return "health";
    case TableKind::ports: return "ports";
    case TableKind::severity: return "severity";
    case TableKind::escalation: return "escalation";
    case TableKind::contacts: return "contacts";
  }
  return "generic";
}

std::string_view to_string(CommandLang lang) {
  switch (lang) {
    case CommandLang::shell: return "shell";
    case CommandLang::powershell: return "powershell";
    case CommandLang::sql: return "sql";
    case CommandLang::redis: return "redis";
    case CommandLang::ruby: return "ruby";
    case CommandLang::python: return "python";
    case CommandLang::mongo: return "mongo";
    case CommandLang::query: return "query";
    case CommandLang::other: return "other";
  }
  return "other";
}

std::string_view to_string(ChecklistKind kind) {
  return kind == ChecklistKind::procedure ? "procedure" : "tasklist";
}

const std::string* Snippet::attr(std::string_view key) const {
  for (const auto& [k, v] : attrs) {
    if (k == key) return &v;
  }
  return nullptr;
}

const Snippet* Runbook::find_snippet(std::string_view id) const {
  for (const auto& s : snippets) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const Section* Runbook::find_section(std::string_view slug_) const {
  for (const auto& s : sections) {
    if (s.slug == slug_) return &s;
  }
  return nullptr;
}

}  // namespace opsbook::model
