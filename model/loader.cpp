// File discovery and parallel parsing.
#include "loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <unordered_map>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.hpp"
#include "parallel.hpp"
#include "parser.hpp"
#include "slug.hpp"
#include "terminal_text.hpp"
#include "text.hpp"

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
      out += name_slug(part);
    }
    pos = slash + 1;
  }
  return out.empty() ? "index" : out;
}

namespace {

bool is_markdown(std::string_view name) { return name.ends_with(".md") || name.ends_with(".markdown"); }

void unreadable_folder(Diagnostics& diagnostics, const std::string& path, int err) {
  diagnostics.add(path, SourceLoc{}, Severity::error, "io", std::string("cannot read directory: ") + std::strerror(err), "check its permissions");
}

// Appends the markdown files below the open folder `fd` (path `dir`, ending in '/'; `rel` below the
// argument) to `found`, and closes `fd`. Hidden entries and node_modules are skipped, symlinked
// folders are not entered, and folders that cannot be read are reported. Uses the entries' types
// from the directory listing: one open and one listing per folder, no stat per file.
// A link to a file outside the content folder (`root`, resolved), or into a hidden entry of it,
// which the walk skips: its text would be published. With the checkout as the content folder,
// `leak.md -> .git/config` published CI's token (s11b review B2).
bool links_outside(const std::string& path, const std::string& root) {
  std::error_code ec;
  fs::path target = fs::canonical(path, ec);
  if (ec) return true;
  std::string t = target.string();
  if (!(t.size() > root.size() && t.starts_with(root) && t[root.size()] == '/')) return true;
  for (const auto& part : fs::path(t.substr(root.size() + 1))) {
    if (part.string().starts_with('.')) return true;
  }
  return false;
}

// A file name's bytes that are not UTF-8, or a control character: "" when it has none, else the
// first one as "byte 0xff". Such a name would give a page name, links and JSON reports that are
// not valid UTF-8, and a control character (\x1b) would reach the terminal in every message.
std::string bad_name_byte(std::string_view name) {
  size_t bad = find_invalid_utf8(name);
  for (size_t i = 0; i < name.size() && i < bad; ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) bad = i;
  }
  if (bad == std::string_view::npos) return "";
  static constexpr char k_hex[] = "0123456789abcdef";
  auto c = static_cast<unsigned char>(name[bad]);
  return std::string("byte 0x") + k_hex[c >> 4] + k_hex[c & 15];
}

// The name as messages show it: each byte that is not UTF-8 or is a control character as \xNN.
std::string shown_name(std::string_view name) { return terminal_text(name); }

// Reports a file or folder whose name is refused by bad_name_byte; true when it was.
bool refuse_bad_name(const std::string& path, std::string_view name, Diagnostics& diagnostics) {
  std::string why = bad_name_byte(name);
  if (why.empty()) return false;
  diagnostics.add(shown_name(path), SourceLoc{}, Severity::error, "encoding",
                  "the name holds " + why + ", which is not UTF-8 text (or is a control character): not read, since its page name, links and reports would be broken",
                  "rename it in UTF-8 (e.g. convmv -f latin1 -t utf-8 --notest)");
  return true;
}

// Folders below the content folder are read this deep, and a runbook's path below it is at most
// this long: each folder level gets a page whose breadcrumb links every level above it, so a
// chain of empty folders 800 deep made a 572 MB portal from one runbook, and a path over the
// file system's limit failed the build on the staging folder (s10b review B1).
constexpr size_t k_max_folder_depth = 32;
constexpr size_t k_max_path_bytes = 1024;

// True (and reported) when a folder or runbook at `rel` lies deeper or longer than the bounds.
bool beyond_bounds(const std::string& path, const std::string& rel, size_t depth, Diagnostics& diagnostics) {
  if (depth > k_max_folder_depth) {
    diagnostics.add(shown_name(path), SourceLoc{}, Severity::error, "limit",
                    "folder nested " + std::to_string(depth) + " levels below the content folder, over the limit of " + std::to_string(k_max_folder_depth) +
                        ": not read",
                    "move its runbooks up: the portal gives every folder level a page");
    return true;
  }
  if (rel.size() > k_max_path_bytes) {
    diagnostics.add(shown_name(path), SourceLoc{}, Severity::error, "limit",
                    "path " + std::to_string(rel.size()) + " bytes long below the content folder, over the limit of " + std::to_string(k_max_path_bytes) +
                        ": not read",
                    "shorten its folder and file names");
    return true;
  }
  return false;
}

void walk(int fd, const std::string& dir, const std::string& rel, const std::string& root, size_t depth, std::vector<SourceFile>& found, Diagnostics& diagnostics) {
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int err = errno;
    ::close(fd);
    unreadable_folder(diagnostics, dir.substr(0, dir.size() - 1), err);
    return;
  }
  std::vector<std::pair<std::string, bool>> entries;  // name, is a folder
  while (const dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.starts_with('.')) continue;  // hidden, and "." and ".."
    bool is_dir = e->d_type == DT_DIR;
    bool regular = e->d_type == DT_REG;
    if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
      struct stat st {};
      bool found_it = ::fstatat(::dirfd(d), e->d_name, &st, 0) == 0;
      bool folder = found_it && S_ISDIR(st.st_mode);
      if (folder && e->d_type == DT_LNK) continue;  // a symlinked folder: not entered
      is_dir = folder;
      regular = found_it && S_ISREG(st.st_mode);
    }
    if ((is_dir || is_markdown(name)) && refuse_bad_name(dir + std::string(name), name, diagnostics)) continue;
    if (is_dir) {
      if (name != "node_modules") entries.emplace_back(name, true);
      continue;
    }
    if (!is_markdown(name)) continue;
    if (!regular) {  // a FIFO would block the run, a device would never end
      diagnostics.add(dir + std::string(name), SourceLoc{}, Severity::warning, "io", "not a regular file (a pipe, socket, device or broken link): not read",
                      "replace it with a regular file or remove it");
      continue;
    }
    if (e->d_type == DT_LNK && links_outside(dir + std::string(name), root)) {
      diagnostics.add(dir + std::string(name), SourceLoc{}, Severity::error, "io", "links to a file outside the content folder or into a hidden folder of it (.git): not read, so its text is never published",
                      "copy the file into the content folder, or link to a runbook inside it");
      continue;
    }
    entries.emplace_back(name, false);
  }
  for (const auto& [name, is_dir] : entries) {
    if (beyond_bounds(dir + name, rel + name, is_dir ? depth + 1 : depth, diagnostics)) continue;
    if (!is_dir) {
      found.push_back(SourceFile{dir + name, path_slug(rel + name)});
      continue;
    }
    int sub = ::openat(::dirfd(d), name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sub < 0) {
      unreadable_folder(diagnostics, dir + name, errno);
      continue;
    }
    walk(sub, dir + name + "/", rel + name + "/", root, depth + 1, found, diagnostics);
  }
  ::closedir(d);
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
    if (!fs::is_directory(st) && !fs::is_regular_file(st)) {
      diagnostics.add(arg, SourceLoc{}, Severity::error, "io", "not a regular file (a pipe, socket or device): not read", "pass a markdown file or a folder");
      continue;
    }
    if (refuse_bad_name(arg, arg, diagnostics)) continue;
    if (!fs::is_directory(st)) {
      fs::path p(arg);
      out.push_back(SourceFile{arg, path_slug(p.filename().string())});
      continue;
    }
    std::vector<SourceFile> found;
    int fd = ::open(arg.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      unreadable_folder(diagnostics, arg, errno);
      continue;
    }
    std::string root = fs::canonical(arg, ec).string();
    walk(fd, arg.ends_with('/') ? arg : arg + "/", "", root, 0, found, diagnostics);
    std::sort(found.begin(), found.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return out;
}

void drop_slug_collisions(std::vector<SourceFile>& files, Diagnostics& diagnostics) {
  std::unordered_map<std::string, std::string> first;  // slug -> path of the file that keeps it
  std::vector<SourceFile> kept;
  kept.reserve(files.size());
  for (auto& f : files) {
    auto [it, added] = first.try_emplace(f.slug, f.path);
    if (added) {
      kept.push_back(std::move(f));
      continue;
    }
    diagnostics.add(f.path, SourceLoc{}, Severity::error, "page-collision",
                    "this runbook and " + it->second + " both become the page '" + f.slug + "'; only " + it->second + " is built",
                    "rename one of the two files (page names ignore case, spaces and punctuation)");
  }
  files = std::move(kept);
}

Runbook load_runbook(const SourceFile& file, const LoadOptions& options) {
  std::ifstream in(file.path, std::ios::binary);
  auto failed = [&](std::string message, std::string hint, const char* rule = "io") {
    Runbook rb;
    rb.path = file.path;
    rb.slug = file.slug;
    rb.title = fs::path(file.path).stem().string();
    rb.diagnostics.add(file.path, SourceLoc{}, Severity::error, rule, std::move(message), std::move(hint));
    rb.readable = false;
    return rb;
  };
  if (!in) return failed(std::string("cannot open file: ") + std::strerror(errno), "check that the file exists and is readable");
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) return failed("cannot read file", "check that it is a regular file");
  if (static_cast<size_t>(size) > options.limits.runbook_bytes) {
    return failed(size_over_limit("the runbook", static_cast<size_t>(size), options.limits.runbook_bytes),
                  "split the runbook, or raise limits.runbook_bytes in opsbook.yaml", "limit");
  }
  in.seekg(0);
  std::string source(static_cast<size_t>(size), '\0');
  if (size > 0 && !in.read(source.data(), size)) return failed(std::string("read error: ") + std::strerror(errno), "");
  return parse_runbook(file.path, file.slug, std::move(source), ParseOptions{options.html, options.limits});
}

std::vector<Runbook> load_runbooks(const std::vector<SourceFile>& files, const LoadOptions& options) {
  std::vector<Runbook> out(files.size());
  parallel_for(files.size(), options.jobs, [&](size_t i) { out[i] = load_runbook(files[i], options); });
  return out;
}

}  // namespace opsbook::model
