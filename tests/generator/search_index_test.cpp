// Search documents: the description and title are searchable, and each term knows the section
// where most of its weight is, so that a result links there.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "generator/cache_io.hpp"
#include "generator/search_index.hpp"
#include "model/parser.hpp"

using namespace opsbook;

namespace {

const generator::SearchTerm* term(const generator::SearchDoc& d, const std::string& t) {
  for (const auto& x : d.terms) {
    if (x.term == t) return &x;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("search documents: terms carry the section that holds most of their weight", "[generator][search]") {
  model::ParseOptions options;
  auto rb = model::parse_runbook("x.md", "x",
                                 "---\ndescription: Recovers the quokka queue.\nservices: [billing]\n---\n"
                                 "# Payments\n\nIntro mentions zebra once.\n\n"
                                 "## Check health\n\nHealth of payments.\n\n"
                                 "## Rotate credentials\n\nRotate the zebra key. The zebra key again.\n\n"
                                 "#### Deep detail\n\nA walrus lives here.\n\n"
                                 "```bash\nvault write zebra/rotate\n```\n",
                                 options);
  auto d = generator::make_search_doc(rb, "runbooks/x.html");
  // The H1 is the title, not a section to link to.
  REQUIRE(d.sections.size() == 2);
  CHECK(d.sections[0] == std::pair<std::string, std::string>{"check-health", "Check health"});
  CHECK(d.sections[1] == std::pair<std::string, std::string>{"rotate-credentials", "Rotate credentials"});
  CHECK(d.description == "Recovers the quokka queue.");
  CHECK(d.services == std::vector<std::string>{"billing"});
  REQUIRE(term(d, "zebra"));
  CHECK(term(d, "zebra")->section == 2);          // twice in prose and once in a command there
  CHECK(term(d, "zebra")->weight == Approx(4.5));  // 1 + 2 + 1.5
  REQUIRE(term(d, "walrus"));
  CHECK(term(d, "walrus")->section == 2);  // an H4 belongs to its H2
  REQUIRE(term(d, "quokka"));
  CHECK(term(d, "quokka")->section == 0);  // the description: the page top
  CHECK(term(d, "quokka")->weight == Approx(2.0));
  CHECK(term(d, "payments")->section == 0);  // the title outweighs the health section
  // Postings carry the section: "term":[df,doc,score,section].
  auto out = generator::build_search_index({d}, 1);
  bool found = false;
  for (const auto& [name, js] : out.files) {
    size_t at = js.find("\"walrus\":[1,0,");
    if (at != std::string::npos) found = js.compare(js.find(']', at) - 2, 2, ",2") == 0;
  }
  CHECK(found);
  // The fragment lists the sections a result can link to.
  std::string fragment = generator::search_fragment(0, d);
  CHECK(fragment.find("\"h\":[[\"check-health\",\"Check health\"],[\"rotate-credentials\",\"Rotate credentials\"]]") != std::string::npos);
  CHECK(fragment.find("\"d\":\"Recovers the quokka queue.\"") != std::string::npos);
  CHECK(fragment.find("\"s\":[\"billing\"]") != std::string::npos);
}

namespace {

// The files of an index by the key of their first shard, and each file's terms.
struct IndexFiles {
  std::map<std::string, std::set<std::string>> terms_by_file;
  std::vector<std::string> packs, shards;  // the manifest's lists
};

std::vector<std::string> quoted(const std::string& js, const std::string& after) {
  std::vector<std::string> out;
  size_t at = js.find(after);
  REQUIRE(at != std::string::npos);
  size_t end = js.find(']', at);
  for (size_t q = js.find('"', at + after.size() - 1); q < end; q = js.find('"', q + 1)) {
    size_t close = js.find('"', q + 1);
    out.push_back(js.substr(q + 1, close - q - 1));
    q = close;
  }
  return out;
}

IndexFiles read_files(const generator::SearchOutput& out) {
  IndexFiles f;
  for (const auto& [name, js] : out.files) {
    if (name == "search/manifest.js") {
      f.packs = quoted(js, "\"packs\":[");
      f.shards = quoted(js, "\"shards\":[");
      continue;
    }
    std::string key = quoted(js, "OpsbookSearch.shard(\"").front();
    auto& terms = f.terms_by_file[key];
    // Entries are "term":[numbers]: each "\":[" closes a term.
    for (size_t at = js.find("\":["); at != std::string::npos; at = js.find("\":[", at + 1)) {
      size_t start = js.rfind('"', at - 1) + 1;
      terms.insert(js.substr(start, at - start));
    }
  }
  return f;
}

// The browser's rule (search.js shardFor): a term of a split group is in the split shard with the
// longest key prefixing it; any other term in the last packed file whose key is not after it.
std::string file_of(const IndexFiles& f, const std::string& term) {
  std::string group = generator::search_group(term), best;
  bool split = false;
  for (const auto& k : f.shards) {
    if (generator::search_group(k) != group) continue;
    split = true;
    if (term.starts_with(k) && k.size() > best.size()) best = k;
  }
  if (split) return best;
  for (const auto& k : f.packs) {
    if (k <= term) best = k;
  }
  return best;
}

}  // namespace

TEST_CASE("search index: small groups of terms share files, large ones split, every term where the browser looks",
          "[generator][search]") {
  // 40 pages: "qq..." terms in every page (a group far over a shard's budget), and short groups
  // of a few terms each ("a0x", "b1y", ...), a non-ASCII group and two-letter terms.
  std::vector<generator::SearchDoc> docs(40);
  for (size_t d = 0; d < docs.size(); ++d) {
    std::set<std::string> words{"qq", "zé", "éa", "ab"};
    for (int i = 0; i < 300; ++i) words.insert("qq" + std::to_string(i * 7 % 1000));
    for (char c = 'a'; c <= 'p'; ++c) words.insert(std::string(1, c) + std::to_string(d % 10) + "x");
    for (const auto& w : words) docs[d].terms.push_back({w, 1.0f + static_cast<float>(d % 3), 0});
    docs[d].length = static_cast<float>(words.size());
  }
  auto data = generator::index_docs(docs, 1);
  auto full = generator::render_index(data, nullptr);
  IndexFiles f = read_files(full);
  std::set<std::string> groups;
  for (const auto& t : data.terms) groups.insert(generator::search_group(t));
  CHECK(f.shards.size() > 1);  // "qq" is split
  for (const auto& k : f.shards) CHECK(generator::search_group(k) == "qq");
  CHECK(f.packs.size() < groups.size() - 1);  // other groups share files
  CHECK(std::is_sorted(f.packs.begin(), f.packs.end()));
  for (const auto& [name, js] : full.files) CHECK(js.size() <= 25000);
  for (const auto& t : data.terms) {
    INFO(t);
    CHECK(f.terms_by_file[file_of(f, t)].count(t) == 1);
  }
  // An update that changes one group renders its run of groups only; the rest is kept.
  std::set<std::string, std::less<>> changed{"c0"};
  auto part = generator::render_index(data, &changed);
  CHECK(part.files.size() >= 2);  // a file and the manifest
  CHECK(part.files.size() < full.files.size() / 2);
  CHECK(part.files.size() + part.kept.size() == full.files.size());
  bool has_c0 = false;
  for (const auto& [name, js] : part.files) has_c0 = has_c0 || js.find("\"c0x\":[") != std::string::npos;
  CHECK(has_c0);
}

TEST_CASE("a cached index that breaks its own rules is refused, whole", "[generator][search][cache]") {
  generator::SearchIndexData good;
  good.terms = {"disk", "worker"};
  good.entries = {"\"disk\":[1,0,100,0]", "\"worker\":[1,0,100,1]"};
  good.lengths = {2.0f};
  good.doc_terms = {{{0, 1.0f, 0}, {1, 1.0f, 1}}};
  auto reads = [](const generator::SearchIndexData& data) {
    generator::CacheWriter w;
    generator::write_index(w, data);
    generator::CacheReader r(w.data());
    generator::SearchIndexData back;
    return generator::read_index(r, back);
  };
  CHECK(reads(good));
  auto bad = good;
  std::swap(bad.terms[0], bad.terms[1]), std::swap(bad.entries[0], bad.entries[1]);  // not sorted
  CHECK_FALSE(reads(bad));
  bad = good, bad.terms[1] = "disk", bad.entries[1] = "\"disk\":[1,0,100,1]";  // not unique
  CHECK_FALSE(reads(bad));
  bad = good, bad.entries[1] = "\"other\":[1,0,100,1]";  // another term's entry
  CHECK_FALSE(reads(bad));
  bad = good, bad.doc_terms[0] = {{1, 1.0f, 1}, {0, 1.0f, 0}};  // ids not ascending
  CHECK_FALSE(reads(bad));
  bad = good, bad.doc_terms[0][1].term = 2;  // no such term
  CHECK_FALSE(reads(bad));
  bad = good, bad.doc_terms[0][0].weight = std::numeric_limits<float>::quiet_NaN();
  CHECK_FALSE(reads(bad));
  bad = good, bad.lengths[0] = std::numeric_limits<float>::infinity();
  CHECK_FALSE(reads(bad));
}
