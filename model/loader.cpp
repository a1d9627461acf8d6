// File discovery and parallel parsing.
#include "loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <unistd.h>

#include "parallel.hpp"
#include "parser.hpp"
#include "slug.hpp"

namespace opsbook::model {

namespace fs = std::filesystem;

std::string path_slug(std::string_view rel) {
  if (rel.ends_with(".md")) rel.remove_suffix(3);
  else if (rel.ends_with(".markdown")) rel.remove_suffix(9);
  std::string out;
  size_t pos = 0;
  while (pos <= rel.size()) {
    size_t slash = rel.find('/', pos);
    if (slash == std::string_view::npos) slash = rel.size();
    std::string_view part = rel.substr(pos, slash - pos);
    if (!part.empty() && part != ".") {
      if (!out.empty()) out += '/';
      out += slugify(part);
    }
    pos = slash + 1;
  }
  return out.empty() ? "index" : out;
}

namespace {

bool is_markdown(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".md" || ext == ".markdown";
}

}  // namespace

std::vector<SourceFile> collect_sources(const std::vector<std::string>& paths, Diagnostics& diagnostics) {
  std::vector<SourceFile> out;
  for (const auto& arg : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      diagnostics.add(arg, SourceLoc{}, Severity::error, "io", "no such file or directory", "check the path");
      continue;
    }
    if (!fs::is_directory(st)) {
      fs::path p(arg);
      out.push_back(SourceFile{arg, path_slug(p.filename().string())});
      continue;
    }
    std::vector<SourceFile> found;
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      diagnostics.add(arg, SourceLoc{}, Severity::error, "io", "cannot read directory: " + ec.message(), "check its permissions");
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        diagnostics.add(it->path().string(), SourceLoc{}, Severity::error, "io", "cannot read directory: " + ec.message(), "check its permissions");
        ec.clear();
        continue;
      }
      const fs::path& p = it->path();
      std::string name = p.filename().string();
      if (it->is_directory(ec)) {
        if (name.starts_with('.') || name == "node_modules") it.disable_recursion_pending();
        // Directories we may not enter: say so instead of skipping silently.
        if (::access(p.c_str(), R_OK | X_OK) != 0) {
          diagnostics.add(p.string(), SourceLoc{}, Severity::error, "io", std::string("cannot read directory: ") + std::strerror(errno), "check its permissions");
          it.disable_recursion_pending();
        }
        continue;
      }
      if (name.starts_with('.') || !is_markdown(p)) continue;
      // The iterator yields "<arg>/<rel>": strip the prefix instead of asking the file system.
      std::string full = p.generic_string();
      std::string root = fs::path(arg).generic_string();
      std::string rel = full.size() > root.size() && full.compare(0, root.size(), root) == 0 ? full.substr(root.size()) : name;
      while (!rel.empty() && rel[0] == '/') rel.erase(0, 1);
      found.push_back(SourceFile{p.string(), path_slug(rel)});
    }
    std::sort(found.begin(), found.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return out;
}

Runbook load_runbook(const SourceFile& file, const LoadOptions& options) {
  std::ifstream in(file.path, std::ios::binary);
  auto failed = [&](std::string message, std::string hint) {
    Runbook rb;
    rb.path = file.path;
    rb.slug = file.slug;
    rb.title = fs::path(file.path).stem().string();
    rb.diagnostics.add(file.path, SourceLoc{}, Severity::error, "io", std::move(message), std::move(hint));
    return rb;
  };
  if (!in) return failed(std::string("cannot open file: ") + std::strerror(errno), "check that the file exists and is readable");
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) return failed("cannot read file", "check that it is a regular file");
  if (static_cast<size_t>(size) > options.max_file_bytes) {
    return failed("file is " + std::to_string(size / (1024 * 1024)) + " MiB, over the limit of " +
                      std::to_string(options.max_file_bytes / (1024 * 1024)) + " MiB",
                  "split the runbook, or raise the limit");
  }
  in.seekg(0);
  std::string source(static_cast<size_t>(size), '\0');
  if (size > 0 && !in.read(source.data(), size)) return failed(std::string("read error: ") + std::strerror(errno), "");
  return parse_runbook(file.path, file.slug, std::move(source), ParseOptions{options.html});
}

std::vector<Runbook> load_runbooks(const std::vector<SourceFile>& files, const LoadOptions& options) {
  std::vector<Runbook> out(files.size());
  parallel_for(files.size(), options.jobs, [&](size_t i) { out[i] = load_runbook(files[i], options); });
  return out;
}

}  // namespace opsbook::model
