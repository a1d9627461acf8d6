// The build stages shared by the CLI build and a server.
#include "generator/build_stages.hpp"

#include <algorithm>
#include <atomic>

#include "generator/checklist_view.hpp"
#include "generator/list_pages.hpp"
#include "generator/runbook_page.hpp"
#include "model/parallel.hpp"

namespace opsbook::generator {

namespace {

// Each file's summary from the previous build, claimed once (a file named twice is built twice).
std::vector<Summary*> claim_previous(BuildState& state) {
  std::vector<Summary*> prior(state.files.size(), nullptr);
  std::vector<std::pair<const Summary*, size_t>> claims;
  claims.reserve(state.files.size());
  for (size_t i = 0; i < state.files.size(); ++i) {
    auto it = state.previous.summaries.find(state.files[i].path);
    if (it == state.previous.summaries.end()) continue;
    prior[i] = &it->second;
    claims.emplace_back(&it->second, i);
  }
  // The first of the files that claim the same summary keeps it. Files in path order (a folder's
  // listing) claim the same one only when neighbours.
  auto path_order = [&](size_t a, size_t b) { return state.files[a].path < state.files[b].path; };
  bool sorted = true;
  for (size_t k = 1; sorted && k < claims.size(); ++k) sorted = !path_order(claims[k].second, claims[k - 1].second);
  if (sorted) {
    for (size_t k = 1; k < claims.size(); ++k) {
      if (claims[k].first == claims[k - 1].first) prior[claims[k].second] = nullptr;
    }
    return prior;
  }
  std::sort(claims.begin(), claims.end());
  for (size_t k = 1; k < claims.size(); ++k) {
    if (claims[k].first == claims[k - 1].first) prior[claims[k].second] = nullptr;
  }
  return prior;
}

// Parses runbook `i`, writes its page and makes its summary (with its search fragment).
Summary render_runbook(const BuildState& state, SiteWriter& out, size_t i, const std::string& rel) {
  const auto& f = state.files[i];
  model::LoadOptions load;
  load.html = true;
  load.limits = state.config.limits;
  model::Runbook rb = model::load_runbook(f, load);
  SiteContext ctx = state.context();
  Summary s = summarise(rb, rel, model::render(rb.diagnostics, rb.source, model::Severity::warning));
  s.size = rb.source.size();
  s.hash = content_hash(rb.source);
  s.mtime = state.file_state[i].mtime;
  s.checklists_html = render_checklist_sections(ctx, rb, f.slug);
  s.checklist_count = rb.checklists.size();
  s.checklists_hash = content_hash(s.checklists_html);
  if (s.listed) out.write(rel, render_runbook_page(ctx, rb, s, rel));
  // The page's search fragment (its position in the index is its position in `files`), written
  // with its neighbours' by the search stage; the excerpt text is not needed after that.
  s.fragment = search_fragment(i, s.search);
  s.search.text = std::string();
  return s;
}

// Keeps every file of the previous site whose path starts with `prefix`; false when one is gone.
bool keep_previous(const PreviousBuild& previous, SiteWriter& out, const std::string& prefix) {
  for (auto it = previous.files.lower_bound(prefix); it != previous.files.end() && it->first.starts_with(prefix); ++it) {
    if (!out.reuse(it->first)) return false;
  }
  return true;
}

}  // namespace

void render_runbooks(BuildState& state, SiteWriter& out) {
  const auto& files = state.files;
  if (state.file_state.size() != files.size()) state.file_state.assign(files.size(), FileState{});
  state.summaries.clear();
  state.summaries.resize(files.size());
  std::vector<Summary*> prior = claim_previous(state);
  std::atomic<size_t> reused{0}, unread{0};
  model::parallel_for(files.size(), state.options.jobs, [&](size_t i) {
    const auto& f = files[i];
    std::string rel = "runbooks/" + f.slug + ".html";
    FileState& known = state.file_state[i];
    if (!known.statted) stat_file(f.path, known);
    Summary* prev = prior[i];
    if (prev && prev->slug == f.slug) {
      // (when compared before, it was against the record of the same path, which `prev` is)
      bool same = known.compared ? known.unchanged : same_contents(f.path, known, prev->size, prev->mtime, prev->hash);
      if (same && (!prev->listed || out.reuse(rel))) {
        state.summaries[i] = std::move(*prev);
        state.summaries[i].mtime = known.mtime;
        ++reused;
        if (state.options.progress) ++*state.options.progress;
        return;
      }
    }
    state.summaries[i] = render_runbook(state, out, i, rel);
    if (!state.summaries[i].listed) ++unread;
    if (state.options.progress) ++*state.options.progress;
  }, model::Order::spread);
  state.stats.runbooks = static_cast<size_t>(std::count_if(state.summaries.begin(), state.summaries.end(), [](const Summary& s) { return s.listed; }));
  state.stats.reused = reused;
  state.stats.parsed = files.size() - reused;
  state.stats.unread = unread;
  for (const auto& s : state.summaries) {
    state.diagnostics += s.diagnostics;
    state.stats.errors += static_cast<size_t>(s.errors);
  }
  state.diagnostics += facet_collisions(state.summaries, state.stats.errors);
  state.hashes = shared_hashes(state.summaries, state.report);
  state.timer.mark("runbook pages");
}

void write_shared_pages(const BuildState& state, SiteWriter& out) {
  const PreviousBuild& previous = state.previous;
  SiteContext ctx = state.context();
  bool lists_same = !previous.empty() && state.hashes.lists == previous.hashes.lists && out.reuse("index.html") &&
                    out.reuse("assets/nav.js");
  for (const char* dir : k_list_folders) lists_same = lists_same && keep_previous(previous, out, std::string(dir) + "/");
  bool checklists_same = !previous.empty() && state.hashes.checklists == previous.hashes.checklists && out.reuse("checklists.html") &&
                         keep_previous(previous, out, k_checklist_pages);
  if (!lists_same) write_list_pages(ctx, out, state.summaries);
  if (!checklists_same) write_checklist_pages(ctx, out, state.summaries);
  // The search page and the assets depend on the templates and the configuration alone, which a
  // previous build had the same of (its key matched).
  if (previous.empty() || !out.reuse("search.html")) {
    Data d = layout_data(ctx, "search.html", "Search", "page-search");
    d.set("content", state.templates.render("search.mustache", Data{}));
    out.write("search.html", state.templates.render("layout.mustache", d));
  }
  for (const auto& name : state.templates.asset_names()) {
    if (previous.empty() || !out.reuse(name)) out.write(name, state.templates.text(name));
  }
}

void render_pages(BuildState& state, SiteWriter& out) {
  render_runbooks(state, out);
  write_shared_pages(state, out);
  state.timer.mark("list pages");
}

}  // namespace opsbook::generator
