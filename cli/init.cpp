// opsbook init [DIR]: a runbook repository to start from (opsbook.yaml with a commented local
// environment, an example runbook, a CI workflow). Existing files are never overwritten.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "model/file_io.hpp"
#include "generator/templates.hpp"
#include "model/error.hpp"

namespace opsbook::cli {

namespace {

namespace fs = std::filesystem;

struct Scaffold {
  const char* path;      // below DIR
  const char* template_name;  // below templates/
};

constexpr Scaffold k_files[] = {
    {"opsbook.yaml", "init/opsbook.yaml"},
    {"content/example.md", "init/example.md"},
    {".github/workflows/runbooks.yml", "init/runbooks.yml"},
};

// Creates `path` (and its folder) with `text`; false when something is there already.
bool create_new(const fs::path& path, std::string_view text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(path.parent_path().string() + ": cannot create the folder: " + ec.message());
  return model::create_new_file(path.string(), text);
}

int run_init(const std::string& dir) {
  // each file: create it unless it exists -> say what was made and what was kept -> next steps
  generator::Templates templates("");
  fs::path root = dir.empty() ? fs::path(".") : fs::path(dir);
  size_t created = 0;
  for (const auto& f : k_files) {
    fs::path path = root / f.path;
    std::string shown = (dir.empty() ? fs::path(f.path) : path).string();
    if (create_new(path, templates.text(f.template_name))) {
      std::printf("created %s\n", shown.c_str());
      ++created;
    } else {
      std::printf("kept    %s (it exists; not overwritten)\n", shown.c_str());
    }
  }
  std::string in = dir.empty() ? "" : "cd " + dir + " && ";
  std::printf("\nNext: %sopsbook check    (then: opsbook serve, to preview the portal)\n", in.c_str());
  return 0;
}

}  // namespace

Command init_command() {
  return Command{"init", "Start a runbook repository: opsbook.yaml, an example runbook, a CI workflow (never overwrites)",
                 [](CLI::App& sub, const GlobalOptions&) -> std::function<int()> {
                   auto dir = std::make_shared<std::string>();
                   sub.add_option("dir", *dir, "Folder to set up (default: the current folder)");
                   return [dir] { return run_init(*dir); };
                 }};
}

}  // namespace opsbook::cli
