// The runbook model: plain structs filled by the parser and read by every later stage.
// No third-party type appears here; see ARCHITECTURE.md for who may depend on what.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diagnostic.hpp"

namespace opsbook::model {

// query: PromQL/LogQL and the like (`lang` names the language), read-only, never run by a shell.
enum class SnippetKind { shell, powershell, sql, http, data, diagram, text, other, query };
enum class Safety { read_only, mutating, destructive };
enum class ParamKind { placeholder, env };
enum class TableKind { generic, health, ports, severity, escalation, contacts };
enum class ChecklistKind { tasklist, procedure };
// The language a command is written in: what consumes it when it runs (the shell, psql, redis-cli,
// a Ruby console...). `query` is a query language such as PromQL or LogQL: never run by a shell.
enum class CommandLang { shell, powershell, sql, redis, ruby, python, mongo, query, other };

std::string_view to_string(SnippetKind kind);
std::string_view to_string(Safety safety);
std::string_view to_string(ParamKind kind);
std::string_view to_string(TableKind kind);
std::string_view to_string(ChecklistKind kind);
std::string_view to_string(CommandLang lang);
bool parse_safety(std::string_view text, Safety& out);

using Attributes = std::vector<std::pair<std::string, std::string>>;

// A value the reader must supply: `<name>`, `{{name}}`, `[name]`, `${NAME}`, `$NAME`.
struct Param {
  std::string name;
  ParamKind kind = ParamKind::placeholder;
  std::string syntax;  // as written, e.g. "<service>" or "${DATABASE_URL}"
  int line = 0;
  bool has_default = false;  // ${NAME:-default}
};

struct SafetyReason {
  int line = 0;
  Safety level = Safety::read_only;
  std::string reason;
};

// One command a reader would type: a simple command, a pipeline or list, or a whole compound
// statement (loop, if, heredoc with its body, continuation lines), with its own safety.
struct Command {
  std::string text;  // as typed, prompt stripped
  int line = 0;      // first markdown line
  int end_line = 0;  // last markdown line (0: same as `line`)
  CommandLang lang = CommandLang::shell;
  Safety safety = Safety::read_only;
  std::vector<SafetyReason> reasons{};
  bool interactive = false;  // opens a session (ssh host, psql without -c, a console)
  std::string prompt{};      // the prompt it was typed after ("$ ", "db=# "), "" when none
};

// Why the parser read a line the way it did ("output of the command at line 12: a table row").
struct LineNote {
  int line = 0;
  std::string note;
};

struct Snippet {
  std::string id;       // `name` attribute, else "<section-slug>-<n>"
  std::string lang;     // as written, lower-cased
  SnippetKind kind = SnippetKind::text;
  int line = 0;         // fence line (or the line of an inline code span)
  int code_line = 0;    // line of the first line of code
  int end_line = 0;
  std::string code;
  bool is_inline = false;
  std::string section;  // slug of the enclosing section ("" before the first heading)
  Attributes attrs;
  std::vector<Command> commands;
  std::string expected_output;  // console blocks: the lines that are not commands
  std::vector<LineNote> notes;  // how lines that are not commands were told apart
  Safety safety = Safety::read_only;      // effective: declared if present, else classified
  Safety classified = Safety::read_only;  // what the classifier found
  std::optional<Safety> declared;         // from the `safety` attribute
  std::vector<SafetyReason> reasons;
  std::vector<Param> params;

  [[nodiscard]] const std::string* attr(std::string_view key) const;
};

// A URL or path to probe.
struct Endpoint {
  std::string url;
  std::string method = "GET";
  std::string expect_status;  // "" = any 2xx; else e.g. "200", "200-204, 429"
  std::string service;        // service named beside it, if any
  std::string source;         // "command", "request", "table", "list" or "open" (a URL the text asks to open)
  std::string snippet;        // id of the snippet it came from, for commands
  int line = 0;
  bool insecure = false;      // `curl -k`
};

struct Port {
  std::string service;
  int port = 0;            // host-side port: the one to probe
  int container_port = 0;  // when the table gives both sides
  std::string protocol;
  std::string environment;  // for tables with one column per environment
  int line = 0;
};

struct Step {
  std::string id;  // "<checklist-id>/<n>"
  std::string text;
  bool checked = false;
  int line = 0;
  int depth = 0;
  std::vector<std::string> snippets;  // ids of the snippets found in the step
};

struct Checklist {
  std::string id;  // "<runbook-slug>/<section-slug>", "-2"... when a section has several
  std::string title;
  ChecklistKind kind = ChecklistKind::tasklist;
  std::string section;
  int line = 0;
  std::vector<Step> items;
};

struct TableRow {
  int line = 0;
  std::vector<std::string> cells;  // plain text of each cell
};

struct Table {
  TableKind kind = TableKind::generic;
  int line = 0;
  std::string section;
  std::string label;  // bold label or heading just above the table
  std::vector<std::string> header;
  std::vector<TableRow> rows;
};

struct Section {
  std::string slug;
  std::string title;
  int level = 1;
  int line = 0;
  int parent = -1;         // index into Runbook::sections
  size_t text_offset = 0;  // where the section (its title, then its text) starts in Runbook::text
};

// An environment variable the runbook mentions or tells people to set.
struct EnvVar {
  std::string name;
  int line = 0;
  std::string source;  // "export", "env-block", "assignment", "mention"
};

// A link in prose, kept for link checks.
struct Link {
  std::string url;
  std::string text;
  int line = 0;
  int col = 0;
};

struct FrontMatter {
  bool present = false;
  int line = 0;  // line of the opening "---"
  std::string title, description, owner, severity, last_reviewed;
  std::vector<std::string> services, tags, environments;
  std::vector<std::pair<std::string, std::string>> extra;  // unknown keys: key -> JSON text
};

struct Runbook {
  std::string path;  // as displayed in diagnostics
  std::string slug;  // path below the content root, without ".md", slugified per segment
  std::string title;
  FrontMatter meta;
  std::vector<Section> sections;
  std::vector<Snippet> snippets;
  std::vector<Endpoint> endpoints;
  std::vector<Port> ports;
  std::vector<Checklist> checklists;
  std::vector<Table> tables;
  std::vector<EnvVar> env_vars;
  std::vector<Link> links;
  std::string text;    // plain text, for search
  std::string source;  // the file as read (kept for diagnostics and rendering)
  std::string html;    // rendered body, when parsed with ParseOptions::html
  Diagnostics diagnostics;
  // False when the file could not be read as text (binary, unreadable, too large): its diagnostics
  // are reported, but it is not counted or listed as a runbook.
  bool readable = true;

  [[nodiscard]] const Snippet* find_snippet(std::string_view id) const;
  [[nodiscard]] const Section* find_section(std::string_view slug) const;
};

}  // namespace opsbook::model
