// Search index construction.
#include "generator/search_index.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "generator/cache_io.hpp"
#include "generator/templates.hpp"
#include "model/json_writer.hpp"
#include "model/parallel.hpp"

namespace opsbook::generator {

namespace {

constexpr size_t k_max_postings = 300;    // per term, best scores first
constexpr size_t k_shard_budget = 24000;  // bytes; larger groups of terms split by a longer prefix
constexpr size_t k_pack_budget = 16000;   // bytes; small groups share files up to this size
constexpr uint64_t k_pack_anchor = 8;     // a run of groups packed together starts about every 8th group
constexpr size_t k_excerpt_bytes = 600;  // prose; commands add up to a third more
constexpr size_t k_max_sections = 40;        // sections a result can link to, per page
constexpr size_t k_max_section_title = 80;   // bytes of a section title in a fragment
constexpr float k_bm25_k1 = 1.2f;
constexpr float k_bm25_b = 0.75f;
// BM25 normalises by document length against a fixed reference length instead of the corpus
// average: then editing one page changes only the postings of that page's terms, incremental
// builds rewrite only those shards, and they still produce the same bytes as a full build.
constexpr double k_reference_length = 600.0;

bool word_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80; }

// First n code points of a UTF-8 term.
std::string_view prefix_cp(std::string_view term, size_t n) {
  size_t i = 0;
  size_t count = 0;
  while (i < term.size() && count < n) {
    auto c = static_cast<unsigned char>(term[i]);
    i += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    ++count;
  }
  return term.substr(0, std::min(i, term.size()));
}

size_t cp_length(std::string_view term) {
  size_t n = 0;
  for (char c : term) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The tokenizer (search.js splits queries the same way): ASCII letters lower-cased, letters,
// digits and non-ASCII bytes form words, words of 2..40 bytes count. Calls fn(word, fnv1a(word))
// for each; the words are written to `buf`, so the views live as long as it does. One pass: bytes
// are folded through a table and each word is hashed while it is read.
template <typename Fn>
void scan_words(std::string_view text, std::string& buf, Fn&& fn) {
  static const std::array<unsigned char, 256> k_fold = [] {
    std::array<unsigned char, 256> t{};  // 0: not a word byte
    for (int c = 0; c < 256; ++c) {
      auto u = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      t[static_cast<size_t>(c)] = word_byte(u) ? u : 0;
    }
    return t;
  }();
  buf.assign(text.size(), '\0');
  size_t n = 0;  // bytes of words written to buf
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = k_fold[static_cast<unsigned char>(text[i])];
    if (!c) {
      ++i;
      continue;
    }
    size_t start = n;
    uint64_t h = k_fnv_offset;
    while (c) {
      buf[n++] = static_cast<char>(c);
      h = (h ^ c) * k_fnv_prime;
      if (++i == text.size()) break;
      c = k_fold[static_cast<unsigned char>(text[i])];
    }
    if (n - start >= 2 && n - start <= 40) fn(std::string_view(buf).substr(start, n - start), h);
  }
}

// Weighted term frequencies of one page, and per term the section that holds most of its weight
// (text is added section by section, so a section's words arrive together). Words are views into
// scan_words' buffers and live in an open-addressing table: no allocation per word (this runs for
// every page).
class TermCounter {
 public:
  void add(std::string_view text, float weight, uint32_t section) {
    scan_words(text, m_texts.emplace_back(), [&](std::string_view word, uint64_t hash) { bump(word, hash, weight, section); });
  }

  // The terms, sorted, and the sum of their weights.
  void finish(SearchDoc& d) const {
    std::vector<const Slot*> sorted;  // views sort faster than strings
    sorted.reserve(m_used);
    for (const auto& slot : m_slots) {
      if (!slot.term.empty()) sorted.push_back(&slot);
    }
    std::sort(sorted.begin(), sorted.end(), [](const Slot* a, const Slot* b) { return a->term < b->term; });
    d.terms.reserve(sorted.size());
    for (const Slot* slot : sorted) d.terms.push_back({std::string(slot->term), slot->weight, slot->best_section});
    d.length = 0;
    for (const auto& t : d.terms) d.length += t.weight;
  }

 private:
  struct Slot {
    std::string_view term;
    uint64_t hash = 0;
    float weight = 0;
    uint32_t run_section = 0;  // the section being read, and the term's weight in it so far
    float run_weight = 0;
    uint32_t best_section = 0;  // the section with the most weight so far
    float best_weight = 0;
  };

  void bump(std::string_view term, uint64_t hash, float weight, uint32_t section) {
    if ((m_used + 1) * 2 > m_slots.size()) grow();
    Slot& slot = find(term, hash);
    if (slot.term.empty()) {
      slot = {term, hash, weight, section, weight, section, weight};
      ++m_used;
      return;
    }
    slot.weight += weight;
    if (slot.run_section == section) slot.run_weight += weight;
    else slot.run_section = section, slot.run_weight = weight;
    if (slot.run_weight > slot.best_weight) slot.best_weight = slot.run_weight, slot.best_section = section;
  }

  // The slot of `term`, or the empty slot where it goes.
  Slot& find(std::string_view term, uint64_t hash) {
    size_t mask = m_slots.size() - 1;
    for (size_t at = hash & mask;; at = (at + 1) & mask) {
      Slot& slot = m_slots[at];
      if (slot.term.empty() || (slot.hash == hash && slot.term == term)) return slot;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const auto& slot : old) {
      if (!slot.term.empty()) find(slot.term, slot.hash) = slot;
    }
  }

  std::deque<std::string> m_texts;  // stable addresses for the views
  std::vector<Slot> m_slots;
  size_t m_used = 0;
};

// Truncates without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace

std::vector<std::string> search_tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string buf;
  scan_words(text, buf, [&](std::string_view word, uint64_t) { out.emplace_back(word); });
  return out;
}

namespace {

// Which sections a result can link to: headings of levels 1-3 but the page's H1 title; `listed[i]`
// is section i's number in SearchDoc::sections (0: the page top), deeper ones take their parent's.
std::vector<uint32_t> link_sections(const model::Runbook& rb, SearchDoc& d) {
  std::vector<uint32_t> listed(rb.sections.size(), 0);
  for (size_t i = 0; i < rb.sections.size(); ++i) {
    const auto& sec = rb.sections[i];
    bool title = i == 0 && sec.level == 1;
    if (sec.level <= 3 && !title && d.sections.size() < k_max_sections) {
      d.sections.emplace_back(sec.slug, utf8_prefix(sec.title, k_max_section_title));
      listed[i] = static_cast<uint32_t>(d.sections.size());
    } else if (sec.level > 3 && sec.parent >= 0) {
      listed[i] = listed[static_cast<size_t>(sec.parent)];
    }
  }
  return listed;
}

// The excerpt source: the prose first, then the commands (a term may only occur in a command).
std::string excerpt_text(const model::Runbook& rb) {
  std::string text(utf8_prefix(rb.text, k_excerpt_bytes));
  std::string commands;
  for (const auto& s : rb.snippets) {
    for (const auto& c : s.commands) {
      if (commands.size() > k_excerpt_bytes / 3) break;
      commands += c.text;
      commands += '\n';
    }
  }
  text += "\n";
  text += utf8_prefix(commands, k_excerpt_bytes / 3);
  return text;
}

}  // namespace

SearchDoc make_search_doc(const model::Runbook& rb, const std::string& url) {
  SearchDoc d;
  d.title = rb.title;
  d.url = url;
  d.path = rb.path;
  d.description = std::string(utf8_prefix(rb.meta.description, k_excerpt_bytes / 3));
  d.services = rb.meta.services;
  d.tags = rb.meta.tags;
  d.text = excerpt_text(rb);
  std::vector<uint32_t> listed = link_sections(rb, d);
  // Each section's commands, to be added with its heading and text.
  std::vector<std::vector<const std::string*>> commands(rb.sections.size() + 1);
  for (const auto& s : rb.snippets) {
    const model::Section* sec = s.section.empty() ? nullptr : rb.find_section(s.section);
    size_t at = sec ? static_cast<size_t>(sec - rb.sections.data()) + 1 : 0;
    for (const auto& c : s.commands) commands[at].push_back(&c.text);
  }
  TermCounter tf;
  tf.add(rb.title, 4.0f, 0);
  for (const auto& t : rb.meta.tags) tf.add(t, 3.0f, 0);
  for (const auto& t : rb.meta.services) tf.add(t, 3.0f, 0);
  tf.add(rb.meta.description, 2.0f, 0);
  std::string_view text = rb.text;
  size_t preamble = rb.sections.empty() ? text.size() : std::min(text.size(), rb.sections[0].text_offset);
  tf.add(text.substr(0, preamble), 1.0f, 0);
  for (const std::string* c : commands[0]) tf.add(*c, 1.5f, 0);
  for (size_t i = 0; i < rb.sections.size(); ++i) {
    size_t begin = std::min(text.size(), rb.sections[i].text_offset);
    size_t end = i + 1 < rb.sections.size() ? std::min(text.size(), rb.sections[i + 1].text_offset) : text.size();
    tf.add(rb.sections[i].title, 2.0f, listed[i]);
    tf.add(text.substr(begin, std::max(begin, end) - begin), 1.0f, listed[i]);
    for (const std::string* c : commands[i + 1]) tf.add(*c, 1.5f, listed[i]);
  }
  tf.finish(d);
  return d;
}

std::string shard_file(std::string_view key) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out = "search/s-";
  for (char ch : key) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += '_';
      out += k_hex[c >> 4];
      out += k_hex[c & 0xF];
    }
  }
  return out + ".js";
}

std::string search_fragment(size_t id, const SearchDoc& doc) {
  std::string js = "OpsbookSearch.doc(" + std::to_string(id) + ",";
  model::JsonWriter w(js);
  w.begin_object().field("t", doc.title).field("u", doc.url).field("p", doc.path);
  if (!doc.description.empty()) w.field("d", doc.description);
  if (!doc.services.empty()) w.string_array("s", doc.services);
  if (!doc.tags.empty()) w.string_array("g", doc.tags);
  if (!doc.sections.empty()) {
    w.key("h").begin_array();
    for (const auto& [anchor, title] : doc.sections) w.begin_array().value(anchor).value(title).end_array();
    w.end_array();
  }
  w.field("x", doc.text).end_object();
  js += ");\n";
  return js;
}

std::string search_fragment_file(size_t id) { return "search/docs/" + std::to_string(id / k_fragments_per_file) + ".js"; }

namespace {

// A page's weighted frequency of a term and the section holding most of it.
struct Posting {
  uint32_t doc;
  float weight;
  uint32_t section;
  bool operator<(const Posting& o) const { return doc < o.doc; }
};

// "term":[df,doc,score,section,...] with the best k_max_postings postings first. `list` holds every
// page with the term.
std::string term_entry(std::string_view term, const std::vector<Posting>& list, const std::vector<float>& lengths) {
  const double n = static_cast<double>(lengths.size());
  double df = static_cast<double>(list.size());
  double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  struct Scored {
    int score;
    uint32_t doc, section;
  };
  std::vector<Scored> scored;
  scored.reserve(list.size());
  for (const auto& [doc, w, section] : list) {
    double dl = lengths[doc];
    double tfpart = w * (k_bm25_k1 + 1) / (w + k_bm25_k1 * (1 - k_bm25_b + k_bm25_b * dl / k_reference_length));
    scored.push_back({std::max(1, static_cast<int>(std::lround(idf * tfpart * 100))), doc, section});
  }
  auto better = [](const Scored& a, const Scored& b) { return a.score > b.score || (a.score == b.score && a.doc < b.doc); };
  if (scored.size() > k_max_postings) {
    std::partial_sort(scored.begin(), scored.begin() + k_max_postings, scored.end(), better);
    scored.resize(k_max_postings);
  } else {
    std::sort(scored.begin(), scored.end(), better);
  }
  std::string s;
  s.reserve(term.size() + 16 + scored.size() * 14);
  model::append_json_string(s, term);
  s += ":[";
  model::append_number(s, static_cast<int64_t>(list.size()));
  for (const auto& [score, doc, section] : scored) {
    s += ',';
    model::append_number(s, doc);
    s += ',';
    model::append_number(s, score);
    s += ',';
    model::append_number(s, section);
  }
  s += "]";
  return s;
}

}  // namespace

std::string search_group(std::string_view term) { return std::string(prefix_cp(term, 2)); }

SearchIndexData index_docs(const std::vector<SearchDoc>& docs, unsigned jobs) {
  // Postings: term -> (doc, weighted tf), collected per range of docs on every core, then joined
  // in doc order. Keys are views of the docs' terms.
  using Postings = std::unordered_map<std::string_view, std::vector<Posting>>;
  if (jobs == 0) jobs = model::default_jobs();
  size_t parts = std::max<size_t>(1, std::min<size_t>(jobs, docs.size() / 64));
  std::vector<Postings> part(parts);
  model::parallel_for(parts, jobs, [&](size_t p) {
    size_t begin = docs.size() * p / parts, end = docs.size() * (p + 1) / parts;
    for (size_t id = begin; id < end; ++id) {
      for (const auto& t : docs[id].terms) part[p][t.term].push_back({static_cast<uint32_t>(id), t.weight, t.section});
    }
  });
  Postings& postings = part[0];
  for (size_t p = 1; p < parts; ++p) {
    for (auto& [term, list] : part[p]) {
      auto& into = postings[term];
      into.insert(into.end(), list.begin(), list.end());
    }
  }
  SearchIndexData data;
  data.lengths.reserve(docs.size());
  for (const auto& d : docs) data.lengths.push_back(d.length);
  std::vector<std::pair<std::string_view, std::vector<Posting>*>> sorted;
  sorted.reserve(postings.size());
  for (auto& [term, list] : postings) sorted.emplace_back(term, &list);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  data.terms.reserve(sorted.size());
  for (const auto& [term, list] : sorted) data.terms.emplace_back(term);
  data.entries.resize(sorted.size());
  model::parallel_for(sorted.size(), jobs, [&](size_t i) { data.entries[i] = term_entry(sorted[i].first, *sorted[i].second, data.lengths); });
  // Each page's terms as ids; visiting terms in order keeps every page's list sorted by id.
  data.doc_terms.resize(docs.size());
  for (size_t d = 0; d < docs.size(); ++d) data.doc_terms[d].reserve(docs[d].terms.size());
  for (uint32_t t = 0; t < sorted.size(); ++t) {
    for (const auto& [doc, w, section] : *sorted[t].second) data.doc_terms[doc].push_back({t, w, section});
  }
  return data;
}

SearchDoc indexed_doc(const SearchIndexData& data, size_t doc) {
  SearchDoc d;
  d.length = data.lengths.at(doc);
  d.terms.reserve(data.doc_terms.at(doc).size());
  for (const auto& [tid, w, section] : data.doc_terms[doc]) d.terms.push_back({data.terms[tid], w, section});
  return d;
}

std::vector<std::string> update_index(SearchIndexData& data, const std::vector<std::pair<uint32_t, const SearchDoc*>>& changed) {
  const size_t n = data.lengths.size();
  std::vector<char> is_changed(n, 0);
  for (const auto& [doc, d] : changed) is_changed.at(doc) = 1;
  // The terms whose entries change: every term the changed pages had or have now (their length and
  // weights change, and with them every score they hold).
  std::vector<std::string> affected;
  for (const auto& [doc, d] : changed) {
    for (const auto& t : data.doc_terms[doc]) affected.push_back(data.terms[t.term]);
    for (const auto& t : d->terms) affected.push_back(t.term);
  }
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
  auto slot_of = [&](std::string_view term) { return static_cast<size_t>(std::lower_bound(affected.begin(), affected.end(), term) - affected.begin()); };
  // Their postings: the unchanged pages' from the cached lists, then the changed pages' new ones.
  constexpr uint32_t k_none = UINT32_MAX;
  std::vector<uint32_t> slot_of_old(data.terms.size(), k_none);
  for (size_t a = 0; a < affected.size(); ++a) {  // (a few hundred lookups, not one per term of the index)
    auto at = std::lower_bound(data.terms.begin(), data.terms.end(), affected[a]);
    if (at != data.terms.end() && *at == affected[a]) slot_of_old[static_cast<size_t>(at - data.terms.begin())] = static_cast<uint32_t>(a);
  }
  std::vector<std::vector<Posting>> lists(affected.size());
  for (uint32_t doc = 0; doc < n; ++doc) {
    if (is_changed[doc]) continue;
    for (const auto& [tid, w, section] : data.doc_terms[doc]) {
      if (slot_of_old[tid] != k_none) lists[slot_of_old[tid]].push_back({doc, w, section});
    }
  }
  // The unchanged pages' postings are in page order: only the changed pages' are sorted in.
  std::vector<size_t> unchanged(lists.size());
  for (size_t a = 0; a < lists.size(); ++a) unchanged[a] = lists[a].size();
  for (const auto& [doc, d] : changed) {
    for (const auto& t : d->terms) lists[slot_of(t.term)].push_back({doc, t.weight, t.section});
    data.lengths[doc] = d->length;
  }
  for (size_t a = 0; a < lists.size(); ++a) {
    auto middle = lists[a].begin() + static_cast<std::ptrdiff_t>(unchanged[a]);
    std::sort(middle, lists[a].end());
    std::inplace_merge(lists[a].begin(), middle, lists[a].end());
  }
  // The new dictionary: merge the old terms with the affected ones; terms left without a page go.
  std::vector<std::string> terms;
  std::vector<std::string> entries;
  std::vector<uint32_t> remap(data.terms.size(), k_none);
  terms.reserve(data.terms.size() + affected.size());
  entries.reserve(data.terms.size() + affected.size());
  size_t o = 0, a = 0;
  while (o < data.terms.size() || a < affected.size()) {
    bool take_old = a == affected.size() || (o < data.terms.size() && data.terms[o] <= affected[a]);
    bool take_new = o == data.terms.size() || (a < affected.size() && affected[a] <= data.terms[o]);
    if (take_new) {
      // an affected term (old or new): recomputed, or dropped when no page has it any more
      if (!lists[a].empty()) {
        if (take_old) remap[o] = static_cast<uint32_t>(terms.size());
        terms.push_back(affected[a]);
        entries.push_back(term_entry(affected[a], lists[a], data.lengths));
      }
      if (take_old) ++o;
      ++a;
    } else {
      remap[o] = static_cast<uint32_t>(terms.size());
      terms.push_back(std::move(data.terms[o]));
      entries.push_back(std::move(data.entries[o]));
      ++o;
    }
  }
  bool same_ids = terms.size() == data.terms.size();
  for (size_t t = 0; same_ids && t < remap.size(); ++t) same_ids = remap[t] == t;
  data.terms = std::move(terms);
  data.entries = std::move(entries);
  for (uint32_t doc = 0; doc < n && !same_ids; ++doc) {
    if (is_changed[doc]) continue;
    for (auto& t : data.doc_terms[doc]) t.term = remap[t.term];
  }
  for (const auto& [doc, d] : changed) {
    auto& list = data.doc_terms[doc];
    list.clear();
    for (const auto& t : d->terms) {
      auto at = std::lower_bound(data.terms.begin(), data.terms.end(), t.term);
      list.push_back({static_cast<uint32_t>(at - data.terms.begin()), t.weight, t.section});
    }
  }
  return affected;
}

namespace {

// One shard: terms sharing a prefix key (a whole 2-code-point group, or a part of a split one).
struct Shard {
  std::string key;
  std::vector<size_t> members;  // indexes into the terms
  size_t bytes = 0;
};

// The shards of the group of terms [begin, end): the group itself, or, over budget, its terms no
// longer than the key and one part per longer prefix (split again while over budget). Depends
// only on the entries' sizes, so groups that are not rendered still yield their keys.
void split_group(const SearchIndexData& data, std::string key, size_t begin, size_t end, std::vector<Shard>& out) {
  const auto& terms = data.terms;
  size_t bytes = 0;
  for (size_t k = begin; k < end; ++k) bytes += data.entries[k].size() + 1;
  if (bytes <= k_shard_budget || end - begin <= 1) {
    Shard sh{std::move(key), {}, bytes};
    for (size_t k = begin; k < end; ++k) sh.members.push_back(k);
    out.push_back(std::move(sh));
    return;
  }
  size_t key_len = cp_length(key);
  Shard own{key, {}, 0};
  size_t k = begin;
  std::vector<std::pair<std::string, std::pair<size_t, size_t>>> parts;
  while (k < end) {
    if (cp_length(terms[k]) <= key_len) {
      own.bytes += data.entries[k].size() + 1;
      own.members.push_back(k++);
      continue;
    }
    std::string sub(prefix_cp(terms[k], key_len + 1));
    size_t e = k;
    while (e < end && cp_length(terms[e]) > key_len && prefix_cp(terms[e], key_len + 1) == sub) ++e;
    parts.push_back({std::move(sub), {k, e}});
    k = e;
  }
  if (!own.members.empty()) out.push_back(std::move(own));
  for (auto& [sub, range] : parts) split_group(data, std::move(sub), range.first, range.second, out);
}

std::string shard_script(const SearchIndexData& data, const Shard& sh) {
  std::string js = "OpsbookSearch.shard(";
  model::append_json_string(js, sh.key);
  js += ",{";
  bool first = true;
  for (size_t k : sh.members) {
    if (!first) js += ',';
    first = false;
    js += data.entries[k];
  }
  js += "});\n";
  return js;
}

// A group of terms (first 2 code points) and its shards.
struct Group {
  std::string key;
  std::vector<Shard> shards;  // one unless split
};

std::vector<Group> term_groups(const SearchIndexData& data) {
  std::vector<Group> groups;
  size_t i = 0;
  while (i < data.terms.size()) {
    Group g{search_group(data.terms[i]), {}};
    size_t j = i;
    while (j < data.terms.size() && prefix_cp(data.terms[j], 2) == g.key) ++j;
    split_group(data, g.key, i, j, g.shards);
    groups.push_back(std::move(g));
    i = j;
  }
  return groups;
}

void append_keys(std::string& out, const std::vector<std::string>& keys) {
  out += '[';
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ',';
    model::append_json_string(out, keys[i]);
  }
  out += ']';
}

// Whether a run of groups from key `from` up to (not including) key `to` ("" for the end) holds a
// group to render (null: render everything).
bool run_changed(const std::set<std::string, std::less<>>* render, const std::string& from, const std::string& to) {
  if (!render) return true;
  auto it = render->lower_bound(from);
  return it != render->end() && (to.empty() || *it < to);
}

}  // namespace

SearchOutput render_index(const SearchIndexData& data, const std::set<std::string, std::less<>>* render) {
  SearchOutput out;
  out.terms = data.terms.size();
  std::vector<Group> groups = term_groups(data);
  // Runs of groups start at anchors, chosen by key alone: the files of a run change only when one
  // of its groups does. A split group's shards are files of their own; the other groups of a run
  // are packed into files of up to k_pack_budget bytes, each named by its first group.
  std::vector<std::string> packs, parts;  // manifest: first keys of packed files; keys of split shards
  auto emit = [&](const std::string& key, std::string js, bool changed) {
    if (changed) out.files.emplace_back(shard_file(key), std::move(js));
    else out.kept.push_back(shard_file(key));
    ++out.shards;
  };
  size_t g = 0;
  while (g < groups.size()) {
    size_t end = g + 1;
    while (end < groups.size() && fnv1a(groups[end].key) % k_pack_anchor != 0) ++end;
    bool changed = run_changed(render, groups[g].key, end < groups.size() ? groups[end].key : std::string());
    std::string pack_key, pack_js;
    size_t pack_bytes = 0;
    auto flush = [&] {
      if (pack_key.empty()) return;
      packs.push_back(pack_key);
      emit(pack_key, changed ? std::move(pack_js) : std::string(), changed);
      pack_key.clear(), pack_js.clear(), pack_bytes = 0;
    };
    for (size_t k = g; k < end; ++k) {
      const Group& group = groups[k];
      if (group.shards.size() > 1 || group.shards[0].key != group.key) {
        for (const auto& sh : group.shards) {
          parts.push_back(sh.key);
          emit(sh.key, changed ? shard_script(data, sh) : std::string(), changed);
        }
        continue;
      }
      const Shard& sh = group.shards[0];
      if (!pack_key.empty() && pack_bytes + sh.bytes > k_pack_budget) flush();
      if (pack_key.empty()) pack_key = sh.key;
      pack_bytes += sh.bytes;
      if (changed) pack_js += shard_script(data, sh);
    }
    flush();
    g = end;
  }
  std::string manifest = "OpsbookSearch.manifest({\"docs\":" + std::to_string(data.lengths.size()) +
                         ",\"per\":" + std::to_string(k_fragments_per_file) + ",\"packs\":";
  append_keys(manifest, packs);
  manifest += ",\"shards\":";
  append_keys(manifest, parts);
  manifest += "});\n";
  out.files.emplace_back("search/manifest.js", std::move(manifest));
  return out;
}

SearchOutput build_search_index(const std::vector<SearchDoc>& docs, unsigned jobs) {
  SearchOutput out = render_index(index_docs(docs, jobs), nullptr);
  for (size_t f = 0; f < fragment_files(docs.size()); ++f) {
    size_t first = f * k_fragments_per_file;
    std::string js;
    for (size_t id = first; id < std::min(docs.size(), first + k_fragments_per_file); ++id) js += search_fragment(id, docs[id]);
    out.files.emplace_back(search_fragment_file(first), std::move(js));
  }
  return out;
}

std::string renumber_fragment(std::string_view file, size_t old_id, size_t new_id) {
  std::string prefix = "OpsbookSearch.doc(" + std::to_string(old_id) + ",";
  size_t at = file.rfind(prefix, 0) == 0 ? 0 : file.find("\n" + prefix);
  if (at == std::string_view::npos) return {};
  if (at > 0) ++at;  // past the newline
  size_t end = file.find('\n', at);
  if (end == std::string_view::npos) return {};
  return "OpsbookSearch.doc(" + std::to_string(new_id) + "," + std::string(file.substr(at + prefix.size(), end + 1 - at - prefix.size()));
}

void write_index(CacheWriter& w, const SearchIndexData& data) {
  w.strs(data.terms);
  w.strs(data.entries);
  w.array(data.lengths);
  for (const auto& list : data.doc_terms) w.array(list);
}

namespace {

// Whether the terms are sorted and unique, and each entry is its term's ("term":[...).
bool valid_terms(const SearchIndexData& data) {
  if (data.entries.size() != data.terms.size()) return false;
  std::string key;
  for (size_t t = 0; t < data.terms.size(); ++t) {
    if (t > 0 && !(data.terms[t - 1] < data.terms[t])) return false;
    key.clear();
    model::append_json_string(key, data.terms[t]);
    key += ":[";
    if (!data.entries[t].starts_with(key)) return false;
  }
  return true;
}

// Whether a page's terms are ids of the dictionary in ascending order, with finite weights.
bool valid_doc_terms(const std::vector<TermWeight>& list, size_t terms) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].term >= terms || (i > 0 && list[i - 1].term >= list[i].term) || !std::isfinite(list[i].weight)) return false;
  }
  return true;
}

}  // namespace

bool read_index(CacheReader& r, SearchIndexData& data) {
  data.terms = r.strs();
  data.entries = r.strs();
  data.lengths = r.array<float>();
  if (!r.ok() || !valid_terms(data)) return false;
  for (float length : data.lengths) {
    if (!std::isfinite(length) || length < 0) return false;
  }
  data.doc_terms.resize(data.lengths.size());
  for (auto& list : data.doc_terms) {
    list = r.array<TermWeight>();
    if (!r.ok() || !valid_doc_terms(list, data.terms.size())) return false;
  }
  return r.ok();
}

}  // namespace opsbook::generator
