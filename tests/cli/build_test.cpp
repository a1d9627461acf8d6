// opsbook build under damage: caches with flipped bytes or cut short, a build killed (-9) at any
// moment, a disk that fills up. The site is always a complete site, and the next build equals a
// full build byte for byte.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

using Tree = std::map<std::string, std::string>;  // path below the folder -> contents

// Every file below `dir` with its contents; a symlink as "symlink to TARGET" (a site has none).
Tree files_of(const fs::path& dir) {
  Tree out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = fs::relative(e.path(), dir).string();
    if (e.is_symlink()) out[rel] = "symlink to " + fs::read_symlink(e.path()).string();
    else if (e.is_regular_file()) out[rel] = test::read_file(e.path().string());
  }
  return out;
}

// The same, to compare sites: `.opsbook-cache` holds each site file's inode and mtime, so only its
// size counts.
Tree snapshot(const fs::path& dir) {
  Tree out = files_of(dir);
  auto cache = out.find(".opsbook-cache");
  if (cache != out.end()) cache->second = "a cache of " + std::to_string(cache->second.size()) + " bytes";
  return out;
}

void restore(const fs::path& dir, const Tree& tree) {
  fs::remove_all(dir);
  for (const auto& [rel, text] : tree) test::write_file(dir / rel, text);
}

// The first `n` runbooks of the real GitLab corpus (sorted by path), copied under `to`.
void copy_corpus(const fs::path& to, size_t n) {
  fs::path from = fs::path(test::shared_dir()) / "corpus" / "gitlab";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(from)) {
    if (e.is_regular_file() && e.path().extension() == ".md") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  files.resize(std::min(n, files.size()));
  for (const auto& f : files) test::write_file(to / fs::relative(f, from), test::read_file(f.string()));
}

std::vector<fs::path> runbooks_under(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  size_t n = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (text.compare(pos, prefix.size(), prefix) == 0) ++n;
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return n;
}

// The site's files but its caches (damaged caches are another test's).
std::vector<std::string> site_files(const fs::path& site) {
  std::vector<std::string> out;
  for (const auto& [rel, text] : snapshot(site)) {
    if (!rel.starts_with(".opsbook-")) out.push_back(rel);
  }
  return out;
}

// Damages `file` of the site the way an editor, a disk or a person might; `way` picks one of five.
void damage(const fs::path& file, int way, const fs::path& outside) {
  std::string bytes = test::read_file(file.string());
  switch (way) {
    case 0:  // cut short, in place
      test::write_file(file, bytes.substr(0, bytes.size() / 2));
      break;
    case 1:  // one byte changed, same size, in place
      if (!bytes.empty()) bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
      test::write_file(file, bytes);
      break;
    case 2:  // deleted
      fs::remove(file);
      break;
    case 3:  // replaced by a symlink to a copy outside the site
      test::write_file(outside, bytes + "<!-- outside -->");
      fs::remove(file);
      fs::create_symlink(outside, file);
      break;
    default:  // replaced by another file, renamed over it (as editors save)
      test::write_file(file.string() + ".swp", "<p>replaced</p>\n");
      fs::rename(file.string() + ".swp", file);
      break;
  }
}

// Leftovers of staging folders beside the site, once the previous site's background removal
// (at most a few seconds) is over.
std::vector<std::string> staging_leftovers(const fs::path& parent) {
  std::vector<std::string> out;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    out.clear();
    for (const auto& e : fs::directory_iterator(parent)) {
      if (e.path().filename().string().starts_with(".site.tmp-")) out.push_back(e.path().filename().string());
    }
    if (!out.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (!out.empty() && std::chrono::steady_clock::now() < until);
  return out;
}

}  // namespace

TEST_CASE("a damaged cache is reported in one line and replaced by a full build, never trusted", "[cli][build][cache]") {
  test::TempDir dir;
  copy_corpus(dir.path() / "src", 30);
  auto first = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());
  REQUIRE((first.exit_code == 0 || first.exit_code == 1));
  std::vector<fs::path> sources = runbooks_under(dir.path() / "src");
  std::mt19937 rng(14);
  for (int trial = 0; trial < 12; ++trial) {
    const char* cache = trial % 2 == 0 ? ".opsbook-cache" : ".opsbook-search-cache";
    fs::path file = dir.path() / "site" / cache;
    std::string bytes = test::read_file(file.string());
    REQUIRE(bytes.size() > 64);
    int how = static_cast<int>(rng() % 3);
    if (how == 0) {  // a few bytes flipped anywhere
      for (int k = 0; k < 1 + static_cast<int>(rng() % 8); ++k) bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
    } else if (how == 1) {  // cut short
      bytes.resize(rng() % bytes.size());
    } else {  // one byte flipped in the seal at the end
      bytes[bytes.size() - 1 - rng() % 24] ^= 0x20;
    }
    test::write_file(file, bytes);
    // An edit that changes a page and its search terms.
    fs::path edited = sources[rng() % sources.size()];
    test::write_file(edited, test::read_file(edited.string()) + "\nEdited in trial " + std::to_string(trial) + ": zebracorn" + std::to_string(trial) + ".\n");
    auto r = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());
    auto full = test::run_opsbook({"build", "--full", "-o", "reference", "src"}, dir.path().string());
    INFO("trial " << trial << ": " << cache << " damaged (" << how << "), " << edited.filename() << " edited\n" << r.err);
    CHECK(r.exit_code == full.exit_code);
    CHECK(count_lines_starting(r.err, "opsbook: note: ") == 1);
    CHECK(r.err.find(std::string("opsbook: note: ") + cache + " is ") != std::string::npos);
    CHECK(snapshot(dir.path() / "site") == snapshot(dir.path() / "reference"));
    fs::remove_all(dir.path() / "reference");
  }
}

TEST_CASE("a FIFO in place of a cache or the kept report never blocks a build (s5c review: build hung)", "[cli][build][cache]") {
  test::TempDir dir;
  copy_corpus(dir.path() / "src", 5);
  REQUIRE(test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string()).exit_code <= 1);
  for (const char* cache : {".opsbook-cache", ".opsbook-search-cache"}) {
    fs::path file = dir.path() / "site" / cache;
    fs::remove(file);
    REQUIRE(::mkfifo(file.c_str(), 0600) == 0);
    auto r = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());  // a hang fails the test by its timeout
    auto full = test::run_opsbook({"build", "--full", "-o", "reference", "src"}, dir.path().string());
    INFO(cache << ": " << r.err);
    CHECK(r.exit_code == full.exit_code);
    CHECK(fs::is_regular_file(file));
    CHECK(snapshot(dir.path() / "site") == snapshot(dir.path() / "reference"));
    fs::remove_all(dir.path() / "reference");
  }
  fs::create_directories(dir.path() / ".opsbook");
  REQUIRE(::mkfifo((dir.path() / ".opsbook" / "last-check.json").c_str(), 0600) == 0);
  CHECK(test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string()).exit_code <= 1);
}

TEST_CASE("a site file damaged after a build is made again by the next build, never kept", "[cli][build][cache]") {
  // The cache knew every page's hash, and the next build hard-linked the damaged file into the new
  // site (or, with no runbook changed, left it). Now a kept file must still have the size, mode,
  // mtime and inode the cache recorded.
  test::TempDir dir;
  copy_corpus(dir.path() / "src", 30);
  REQUIRE(test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string()).exit_code <= 1);
  std::vector<fs::path> sources = runbooks_under(dir.path() / "src");
  std::mt19937 rng(14);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<std::string> files = site_files(dir.path() / "site");
    std::string damaged;
    for (int k = 0; k < 3; ++k) {
      std::string rel = files[rng() % files.size()];
      if (!fs::exists(fs::symlink_status(dir.path() / "site" / rel))) continue;  // picked twice, deleted the first time
      int way = (trial * 3 + k) % 5;
      damage(dir.path() / "site" / rel, way, dir.path() / ("outside-" + std::to_string(trial * 3 + k)));
      damaged += " " + rel + " (" + std::to_string(way) + ")";
    }
    // One runbook edited, or none (then the build must not stop early as "up to date").
    fs::path edited = trial % 2 == 0 ? sources[rng() % sources.size()] : fs::path();
    if (!edited.empty()) test::write_file(edited, test::read_file(edited.string()) + "\nEdited in trial " + std::to_string(trial) + ": zebracorn" + std::to_string(trial) + ".\n");
    auto r = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());
    auto full = test::run_opsbook({"build", "--full", "-o", "reference", "src"}, dir.path().string());
    INFO("trial " << trial << ": damaged" << damaged << "; " << (edited.empty() ? "nothing" : edited.filename().string()) << " edited\n" << r.err);
    CHECK(r.exit_code == full.exit_code);
    CHECK(count_lines_starting(r.err, "opsbook: note: ") <= 1);  // a full build instead is allowed, said in one line
    CHECK(snapshot(dir.path() / "site") == snapshot(dir.path() / "reference"));
    fs::remove_all(dir.path() / "reference");
  }
}

TEST_CASE("a build killed with -9 at any moment leaves the old site or the new one, complete", "[cli][build][crash]") {
  test::TempDir dir;
  copy_corpus(dir.path() / "src", 120);
  REQUIRE(test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string()).exit_code <= 1);
  Tree old_files = files_of(dir.path() / "site");
  Tree old_site = snapshot(dir.path() / "site");
  std::vector<fs::path> sources = runbooks_under(dir.path() / "src");
  for (size_t i = 0; i < sources.size(); i += 17) test::write_file(sources[i], test::read_file(sources[i].string()) + "\nA new step: restart the zebracorn.\n");
  auto start = std::chrono::steady_clock::now();
  int expected_exit = test::run_opsbook({"build", "--full", "-o", "reference", "src"}, dir.path().string()).exit_code;
  auto build_time = std::chrono::steady_clock::now() - start;
  Tree new_site = snapshot(dir.path() / "reference");
  std::mt19937 rng(9);
  for (int trial = 0; trial < 10; ++trial) {
    restore(dir.path() / "site", old_files);
    bool full = trial % 3 == 2;
    auto delay = std::chrono::duration_cast<std::chrono::microseconds>(build_time) * static_cast<long>(rng() % 1000) / 800;
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      if (::chdir(dir.path().c_str()) != 0 || !std::freopen("/dev/null", "w", stderr)) ::_exit(127);
      if (full) ::execl(OPSBOOK_BINARY, OPSBOOK_BINARY, "build", "--full", "-o", "site", "src", static_cast<char*>(nullptr));
      else ::execl(OPSBOOK_BINARY, OPSBOOK_BINARY, "build", "-o", "site", "src", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    Tree after_kill = snapshot(dir.path() / "site");
    INFO("trial " << trial << (full ? " (--full)" : "") << ": killed after " << delay.count() << " us");
    CHECK((after_kill == old_site || after_kill == new_site));
    auto next = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());
    CHECK(next.exit_code == expected_exit);
    CHECK(snapshot(dir.path() / "site") == new_site);
    CHECK(staging_leftovers(dir.path()).empty());
  }
}

TEST_CASE("a build that cannot write (file size limit) says so and keeps the old site", "[cli][build][crash]") {
  test::TempDir dir;
  copy_corpus(dir.path() / "src", 20);
  REQUIRE(test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string()).exit_code <= 1);
  Tree old_site = files_of(dir.path() / "site");
  test::write_file(dir.path() / "src" / "big.md", "# Big\n\n" + std::string(200000, 'x') + "\n");
  test::Limits limits;
  limits.file_size = 64 * 1024;  // no page, index or cache over 64 KiB can be written
  for (bool full : {true, false}) {
    std::vector<std::string> args = {"build", "-o", "site", "src"};
    if (full) args.push_back("--full");
    auto r = test::run_opsbook(args, dir.path().string(), limits);
    INFO((full ? "full" : "incremental") << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("opsbook: error: ") != std::string::npos);
    CHECK(r.err.find(": write failed: File too large\n") != std::string::npos);
    CHECK(files_of(dir.path() / "site") == old_site);
    CHECK(staging_leftovers(dir.path()).empty());
  }
}

TEST_CASE("two runbooks that would be one page: an error naming both, and the first one's page", "[cli][build]") {
  // Both used to become runbooks/deploy-guide.html: one page silently disappeared, exit 0.
  test::TempDir dir;
  test::write_file(dir.path() / "src" / "Deploy Guide.md", "# Deploy guide (spaces)\n");
  test::write_file(dir.path() / "src" / "deploy-guide.md", "# Deploy guide (dashes)\n");
  test::write_file(dir.path() / "src" / "other.md", "# Other\n");
  for (int round = 0; round < 2; ++round) {  // a full build, then an incremental one
    auto r = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("src/deploy-guide.md: error[page-collision]: this runbook and src/Deploy Guide.md both become the page 'deploy-guide'; "
                     "only src/Deploy Guide.md is built\n") != std::string::npos);
    CHECK(test::read_file((dir.path() / "site" / "runbooks" / "deploy-guide.html").string()).find("Deploy guide (spaces)") != std::string::npos);
    CHECK(fs::exists(dir.path() / "site" / "runbooks" / "other.html"));
  }
}

TEST_CASE("a build never replaces a folder that is not its site: the current folder, a parent, the content, hand-written files", "[cli][build][crash]") {
  test::TempDir dir;
  copy_corpus(dir.path() / "content", 3);
  test::write_file(dir.path() / "docs" / "handwritten.md", "# Mine\n");
  test::write_file(dir.path() / "IMPORTANT.txt", "keep\n");
  fs::create_directories(dir.path() / "empty");
  std::string here = fs::weakly_canonical(dir.path()).string();
  auto build = [&](const std::string& out) { return test::run_opsbook({"build", "-o", out, "content"}, dir.path().string()); };
  auto r = build(".");
  CHECK(r.exit_code == 2);
  CHECK(r.err.ends_with("\nopsbook: error: " + here + ": is the current folder or holds it; opsbook replaces its output folder as a whole: choose a folder of its own (-o site)\n"));
  CHECK(build("..").exit_code == 2);
  r = build("docs");
  CHECK(r.exit_code == 2);
  CHECK(r.err.ends_with("\nopsbook: error: " + here + "/docs: exists and is not a site opsbook built (it has no .opsbook-cache); opsbook replaces its output folder as a whole: " +
                        "choose a new or empty folder, or remove this one yourself\n"));
  CHECK(build("content").exit_code == 2);
  CHECK(test::read_file((dir.path() / "docs" / "handwritten.md").string()) == "# Mine\n");
  CHECK(test::read_file((dir.path() / "IMPORTANT.txt").string()) == "keep\n");
  CHECK(runbooks_under(dir.path() / "content").size() == 3);
  CHECK(build("empty").exit_code <= 1);
  CHECK(build("empty").exit_code <= 1);  // its own site, replaced or updated
  CHECK(test::run_opsbook({"build", "--full", "-o", "empty", "content"}, dir.path().string()).exit_code <= 1);
}

TEST_CASE("a file with CR-only line endings is one error naming it, and the summary counts it apart (s7b review)", "[cli][build][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "cr.md", "---\rtitle: CR\r---\r# CR\r\r```bash\recho hi\r```\r");
  test::write_file(dir.path() / "content" / "ok.md", "# Ok\n\ntext\n");
  auto build = test::run_opsbook({"build"}, dir.path().string());
  INFO(build.err);
  CHECK(build.exit_code == 1);
  CHECK(build.err.find("content/cr.md: error[encoding]: the lines end in CR alone (classic Mac OS line endings); not read as a runbook\n") != std::string::npos);
  CHECK(build.err.find("unclosed-fence") == std::string::npos);
  CHECK(build.err.find("opsbook: built 1 runbook (1 rendered, 0 unchanged; 1 file not read as a runbook), ") != std::string::npos);
}
