// Shared command helpers.
#include "cli/common.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <utility>
#include <fstream>

#include "model/error.hpp"
#include "model/seal_key.hpp"
#include "model/terminal_text.hpp"
#include "model/work_tree.hpp"

namespace opsbook::cli {

void write_output(const std::string& path, std::string_view text, std::string_view what) {
  if (path.empty()) {
    OutputBuffer(stdout).write(text);
    return;
  }
  std::ofstream f(path, std::ios::binary);
  if (!f || !f.write(text.data(), static_cast<std::streamsize>(text.size()))) throw Error(path + ": cannot write " + std::string(what));
}

std::time_t parse_utc(std::string_view text) {
  // Exactly this form, zero-padded: such times sort as text the way they sort as times.
  constexpr std::string_view k_form = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != k_form.size()) return -1;
  for (size_t i = 0; i < text.size(); ++i) {
    if (k_form[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != k_form[i]) return -1;
  }
  std::tm tm{};
  std::string s(text);
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return -1;
  return timegm(&tm);
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  // Reproducible reports (and tests comparing them): the reproducible-builds convention.
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (*end == '\0' && v >= 0) t = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// The seal key never lives in the checkout (HOME inside it on some CI images): the folder of
// opsbook.yaml and the content, each with the git work tree that holds it, and the work tree of
// the working folder (not the folder itself: opsbook may run from the home folder). Given before
// the key is used.
void keep_seal_key_out_of_checkout(const GlobalOptions& globals) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(globals.config_path, ec)) {
    model::keep_seal_key_out_of(std::filesystem::absolute(globals.config_path, ec).parent_path().string());
  }
  model::keep_seal_key_out_of(std::filesystem::current_path(ec).string(), model::Inside::work_tree_only);
}

// A folder given as content, and its work tree; for a file, the work tree around it (its folder
// may be the home folder: `opsbook check ~/notes.md`).
void keep_seal_key_out_of_content(const std::string& path) {
  std::error_code ec;
  std::filesystem::path at = std::filesystem::absolute(path, ec);
  if (std::filesystem::is_directory(at, ec)) model::keep_seal_key_out_of(at.string());
  else model::keep_seal_key_out_of(at.parent_path().string(), model::Inside::work_tree_only);
}

}  // namespace

model::Config load_config(const GlobalOptions& globals) {
  keep_seal_key_out_of_checkout(globals);
  model::Config config = model::load_config(globals.config_path, globals.config_given);
  keep_seal_key_out_of_content(config.resolve(config.content));
  return config;
}

// The content folder opsbook.yaml names lies in the git work tree around the configuration, when
// there is one (a pull request can change both), links resolved, and is never `/` (s10c review B12:
// `content: /` read the whole file system, a committed link `content -> /usr/share` read 256
// runbooks from outside the checkout, which build would publish). A folder given on the command
// line is the caller's choice.
void check_configured_folder(const model::Config& config, std::string_view key, const std::string& written, const std::string& content,
                             std::string_view way) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path base = fs::weakly_canonical(config.dir.empty() ? fs::current_path(ec) : fs::path(config.dir), ec);
  // The git work tree around the configuration. Without one (a configuration kept apart from the
  // runbooks it names) only the root is refused.
  fs::path tree = model::work_tree_around(base);
  fs::path real = fs::weakly_canonical(fs::absolute(content, ec), ec);
  std::string where = (config.path.empty() ? std::string("opsbook.yaml") : config.path) + ": " + std::string(key) + " '" + written + "' is " + real.string();
  if (tree.empty()) {
    if (real != real.root_path()) return;
    throw Error(where + ", the root folder: " + std::string(way));
  }
  fs::path rel = real.lexically_relative(tree);
  if (rel.empty() || *rel.begin() == "..") {
    throw Error(where + ", outside the checkout " + tree.string() + ": " + std::string(way));
  }
  // Hidden folders are never read, as the folder walk skips them: `content: .git/config` (or a
  // link to it) published CI's token (s11d review B1).
  for (const auto& part : rel) {
    if (part.string().starts_with('.') && part != ".") {
      throw Error(where + ", in the hidden folder " + part.string() + " of the checkout: opsbook never reads hidden folders (.git holds CI's token); name another folder");
    }
  }
}

std::vector<std::string> source_paths(const std::vector<std::string>& given, const model::Config& config) {
  for (const auto& path : given) keep_seal_key_out_of_content(path);
  if (!given.empty()) return given;
  std::string content = config.resolve(config.content);
  check_configured_folder(config, "content", config.content, content,
                          "opsbook reads the runbooks of its own checkout from the configuration; pass a folder elsewhere on the command line");
  return {content};
}

std::vector<model::SourceFile> collect_runbooks(const std::vector<std::string>& paths, model::Diagnostics& diagnostics) {
  std::vector<model::SourceFile> files = model::collect_sources(paths, diagnostics);
  if (!files.empty()) return files;
  std::fputs(render_diagnostics(diagnostics, "", model::Severity::warning).c_str(), stderr);
  std::string where;
  for (const auto& p : paths) where += (where.empty() ? "'" : ", '") + p + "'";
  throw Error("no runbooks (*.md, *.markdown) found in " + where + "; name a file or folder that has some, or set content: in opsbook.yaml");
}

std::string render_diagnostics(const model::Diagnostics& diagnostics, std::string_view source, model::Severity at_least) {
  return model::render(diagnostics, source, at_least);
}

void OutputBuffer::write(std::string_view data) {
  if (m_buffer.size() + data.size() > k_capacity) flush();
  if (data.size() >= k_capacity) {
    if (std::fwrite(data.data(), 1, data.size(), m_file) != data.size()) throw Error("cannot write output");
    return;
  }
  m_buffer.append(data);
}

void OutputBuffer::flush() {
  if (m_buffer.empty()) return;
  // A closed pipe (e.g. `| head`) is not an error worth reporting: the result is not checked.
  (void)std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file);
  m_buffer.clear();
  std::fflush(m_file);
}

const model::EnvironmentConfig* select_environment(const model::Config& config, const std::string& name) {
  std::string wanted = name.empty() ? config.default_env : name;
  if (wanted.empty()) return nullptr;
  if (const model::EnvironmentConfig* env = config.environment(wanted)) return env;
  std::string known;
  for (const auto& e : config.environments) known += (known.empty() ? "" : ", ") + e.name;
  throw Error("unknown environment '" + wanted + "'" + (config.path.empty() ? " (no opsbook.yaml found)" : " in " + config.path) +
              (known.empty() ? "; define it under environments:" : "; known: " + known));
}

void note_seal_key() {
  static bool said = false;
  if (std::exchange(said, true)) return;
  if (const std::string& problem = model::seal_key_problem(); !problem.empty()) model::print_line("opsbook: note: " + problem);
}

}  // namespace opsbook::cli
