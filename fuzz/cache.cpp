// Fuzz target: both build caches. The input, sealed as a valid cache (so that the readers behind
// the seal are what is fuzzed), replaces `.opsbook-cache` or `.opsbook-search-cache` (first byte)
// of a small built site; then a page is edited and the site rebuilt incrementally. Never a crash,
// a hang, an exception other than opsbook::Error, or a file made outside the site (a cache listing
// "search/../../x" once made the build link files there). (Damaged, unsealed caches are the cache
// corruption test's job: tests/cli/build_test.cpp.)
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "generator/cache_io.hpp"
#include "generator/site.hpp"
#include "model/error.hpp"

namespace {

namespace fs = std::filesystem;

struct Site {
  fs::path root;
  std::vector<opsbook::model::SourceFile> files;
  opsbook::model::Config config;
  int edits = 0;
};

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

opsbook::generator::BuildStats build(Site& site, bool incremental) {
  opsbook::generator::BuildOptions options;
  options.output = (site.root / "site").string();
  options.jobs = 1;
  options.incremental = incremental;
  std::string diagnostics;
  return opsbook::generator::build_site(site.config, site.files, options, diagnostics);
}

Site& site() {
  static Site s = [] {
    Site out;
    std::string root = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/opsbook-fuzz-cache-XXXXXX";
    if (::mkdtemp(root.data()) == nullptr) std::abort();
    out.root = fs::path(root) / "fuzz";  // the folder above holds nothing else: see check_nothing_outside
    write(out.root / "src/a.md", "# Restart the worker\n\n```bash\nsystemctl restart worker\n```\n\n- [ ] check `curl http://localhost/healthz`\n");
    write(out.root / "src/b.md", "---\ntitle: Database\ntags: [db]\n---\n\n## Replicas\n\n```sql\nSELECT 1;\n```\n");
    write(out.root / "src/c/d.md", "# Disk full\n\nSee [a](../a.md).\n");
    for (const char* f : {"src/a.md", "src/b.md", "src/c/d.md"}) {
      std::string rel = fs::path(f).lexically_relative("src").replace_extension().string();
      out.files.push_back({(out.root / f).string(), rel});
    }
    build(out, false);
    return out;
  }();
  return s;
}

// Aborts when the build made anything beside the site folder and the sources, in the site's parent
// or grandparent (a folder of our own). Staging folders (".site.tmp-PID", removed in the
// background) are the build's.
void check_nothing_outside(const Site& s) {
  for (const fs::path& dir : {s.root.parent_path(), s.root}) {
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      bool ours = dir == s.root ? name == "src" || name == "site" || name.starts_with(".site.tmp-") : e.path() == s.root;
      if (!ours) {
        std::fprintf(stderr, "cache fuzz: the build made %s outside the site\n", e.path().c_str());
        std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Site& s = site();
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const char* name = data[0] % 2 == 0 ? ".opsbook-cache" : ".opsbook-search-cache";
  opsbook::generator::seal_cache(bytes, name);
  write(s.root / "site" / name, bytes);
  write(s.root / "src/a.md", "# Restart the worker\n\nEdit " + std::to_string(++s.edits % 3) + ".\n");
  try {
    build(s, true);
  } catch (const opsbook::Error&) {
  }
  check_nothing_outside(s);
  return 0;
}
