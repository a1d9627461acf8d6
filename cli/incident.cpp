// opsbook incident new | list: open an incident document from a runbook in seconds, and list
// the incidents of a folder, newest first.
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "model/terminal_text.hpp"
#include "model/file_io.hpp"
#include "generator/incident.hpp"
#include "model/error.hpp"
#include "model/loader.hpp"

namespace opsbook::cli {

namespace {

constexpr std::string_view k_incidents_way = "opsbook keeps incidents in its own checkout; name a folder elsewhere on the command line (incident new -o DIR, incident list DIR)";

namespace fs = std::filesystem;

struct IncidentOptions {
  std::string runbook, severity, title, dir, env, now;
  std::string list_dir;
};

bool valid_utc(const std::string& s) {
  std::tm tm{};
  return s.size() == 20 && strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr;
}

// The title becomes the document's H1 and front-matter value: a line break or other control
// character in it would add headings or keys of its own.
void check_title(const std::string& title) {
  for (size_t i = 0; i < title.size(); ++i) {
    auto c = static_cast<unsigned char>(title[i]);
    if (c < 0x20 || c == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02X", c);
      throw Error(std::string("--title must be one line of text, but it holds the control character ") + code + " at byte " + std::to_string(i + 1) +
                  "; write the title on one line and the details in the document");
    }
  }
}

int incident_new(const IncidentOptions& o, const GlobalOptions& globals) {
  // check the title -> load config -> parse the runbook -> render -> create the file (never overwriting)
  check_title(o.title);
  model::Config config = load_config(globals);
  const model::EnvironmentConfig* env = select_environment(config, o.env);
  if (!o.env.empty() && !env) throw Error("unknown environment '" + o.env + "'");
  std::string started = o.now.empty() ? utc_now() : o.now;
  if (!valid_utc(started)) throw Error("--now takes a UTC time like 2026-11-24T01:30:00Z, not '" + started + "'");
  model::Diagnostics top;
  auto files = model::collect_sources({o.runbook}, top);
  if (files.size() != 1) throw Error(o.runbook + ": not a runbook file");
  model::Runbook rb = model::load_runbook(files[0], {});
  if (rb.diagnostics.count(model::Severity::error) > 0) {
    std::fputs(render_diagnostics(rb.diagnostics, rb.source, model::Severity::error).c_str(), stderr);
  }
  generator::Templates templates(config.templates.empty() ? "" : config.resolve(config.templates), config.dir.empty() ? "." : config.dir);
  if (o.dir.empty()) check_configured_folder(config, "incidents", config.incidents, config.resolve(config.incidents), k_incidents_way);
  fs::path dir = o.dir.empty() ? fs::path(config.resolve(config.incidents)) : fs::path(o.dir);
  generator::IncidentRequest req{o.title, o.severity, env ? env->name : "", started, dir.string()};
  std::string text = generator::render_incident(templates, rb, req, config.severities);

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir.string() + ": cannot create the folder: " + ec.message());
  std::string stem = started.substr(0, 10) + "-" + generator::incident_slug(o.title);
  for (int n = 1;; ++n) {
    fs::path path = dir / (stem + (n == 1 ? "" : "-" + std::to_string(n)) + ".md");
    // Two people opening the same incident at once still get two files.
    if (!model::create_new_file(path.string(), text)) continue;
    std::printf("%s\n", path.c_str());
    return 0;
  }
}

int incident_list(const IncidentOptions& o, const GlobalOptions& globals) {
  model::Config config = load_config(globals);
  if (o.list_dir.empty()) check_configured_folder(config, "incidents", config.incidents, config.resolve(config.incidents), k_incidents_way);
  fs::path dir = o.list_dir.empty() ? fs::path(config.resolve(config.incidents)) : fs::path(o.list_dir);
  if (!fs::is_directory(dir)) throw Error(dir.string() + ": no such folder (incidents are written by opsbook incident new)");
  struct Row {
    std::string started, severity, status, title, path;
    fs::file_time_type written;
  };
  std::vector<Row> rows;
  model::Diagnostics top;
  std::error_code ec;
  for (const auto& file : model::collect_sources({dir.string()}, top)) {
    model::Runbook rb = model::load_runbook(file, {});
    Row r{"", rb.meta.severity, "", rb.title, rb.path, fs::last_write_time(file.path, ec)};
    for (const auto& [k, v] : rb.meta.extra) {
      auto j = nlohmann::json::parse(v, nullptr, false);
      std::string s = j.is_string() ? j.get<std::string>() : j.is_discarded() ? v : j.dump();
      if (k == "started") r.started = s;
      if (k == "status") r.status = s;
    }
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return std::tie(a.started, a.written, a.path) > std::tie(b.started, b.written, b.path); });
  std::string out;
  char line[1024];
  std::snprintf(line, sizeof line, "%-21s %-9s %-14s %s\n", "STARTED", "SEVERITY", "STATUS", "TITLE (FILE)");
  out += line;
  // Committed incident files are input too: their fields reach the terminal escaped (s8c R5).
  auto shown = [](const std::string& field) { return field.empty() ? std::string("-") : model::terminal_text(field); };
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%-21s %-9s %-14s %s (%s)\n", shown(r.started).c_str(), shown(r.severity).c_str(), shown(r.status).c_str(),
                  model::terminal_text(r.title).c_str(), model::terminal_text(r.path).c_str());
    out += line;
  }
  OutputBuffer(stdout).write(out);
  return 0;
}

}  // namespace

Command incident_command() {
  return Command{"incident", "Open an incident document from a runbook (new), or list incidents (list)",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<IncidentOptions>();
                   sub.require_subcommand(1);
                   CLI::App* create = sub.add_subcommand("new", "Write <DIR>/<YYYY-MM-DD>-<slug>.md from a runbook; prints its path");
                   create->add_option("--runbook", opts->runbook, "The runbook the incident follows")->required();
                   create->add_option("--severity", opts->severity, "A level of the runbook's severity table (else of severities:, else SEV1-SEV4)")->required();
                   create->add_option("--title", opts->title, "What is happening, in a few words")->required();
                   create->add_option("-o,--output", opts->dir, "Folder (default: incidents: of opsbook.yaml, docs/INCIDENTS)");
                   create->add_option("--env", opts->env, "Environment the incident is in");
                   create->add_option("--now", opts->now, "Start time in UTC (default: now), e.g. to record an incident after the fact");
                   CLI::App* list = sub.add_subcommand("list", "Incidents of a folder with status and severity, newest first");
                   list->add_option("dir", opts->list_dir, "Folder (default: incidents: of opsbook.yaml, docs/INCIDENTS)");
                   return [opts, &globals, create] { return create->parsed() ? incident_new(*opts, globals) : incident_list(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
