// Template loading and rendering.
#include "generator/templates.hpp"

#include <filesystem>
#include <memory>
#include <sstream>
#include <tuple>

#include "generator/embedded.hpp"
#include "model/checkout_file.hpp"
#include "model/error.hpp"

namespace opsbook::generator {

namespace fs = std::filesystem;

void put(Data& object, const std::string& name, Data&& value) {
  // set() with a cheap placeholder, then move into it: the stored value is not const, only the
  // accessor is.
  object.set(name, Data(false));
  if (const Data* slot = object.get(name)) *const_cast<Data*>(slot) = std::move(value);
}

void append(Data& list, Data&& value) {
  if (!list.is_list()) return;
  const_cast<kainjow::mustache::list&>(list.list_value()).push_back(std::move(value));
}

void splice(std::string& frame, std::string_view marker, std::string_view body) {
  size_t at = frame.find(marker);
  if (at != std::string::npos) frame.replace(at, marker.size(), body);
}

namespace {

constexpr size_t k_max_rendered_bytes = size_t{64} << 20;
constexpr int k_max_section_depth = 32;

// Why a template is not compiled, or "": mustache's parser and its component tree recurse once
// per nested section, and 20,000 nested sections crashed the build (s11d review B2). The tags are
// found with the default delimiters, so a template may not change them.
std::string template_bounds(std::string_view text) {
  int depth = 0;
  for (size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at + 2)) {
    char kind = at + 2 < text.size() ? text[at + 2] : '\0';
    if (kind == '=') return "changes the tag delimiters ({{=...=}}), which opsbook's templates may not: keep {{ }}";
    if (kind == '#' || kind == '^') ++depth;
    else if (kind == '/') --depth;
    if (depth > k_max_section_depth) return "sections nested deeper than " + std::to_string(k_max_section_depth) + " levels: flatten the template";
  }
  return "";
}

}  // namespace

Templates::Templates(const std::string& override_dir, const std::string& checkout) {
  for (const auto& f : embedded_files()) {
    m_files[std::string(f.name)] = std::string(f.data);
    m_origin[std::string(f.name)] = "(built in) " + std::string(f.name);
  }
  if (!override_dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(override_dir, ec)) throw Error(override_dir + ": templates folder not found");
    fs::path root = model::checkout_root(checkout.empty() ? fs::path(override_dir).parent_path() : fs::path(checkout));
    fs::path real = fs::weakly_canonical(override_dir, ec);
    if (fs::path rel = real.lexically_relative(root); rel.empty() || *rel.begin() == "..") {
      throw Error(override_dir + ": templates folder is " + real.string() + ", outside the checkout " + root.string() + ": name a folder of the checkout in templates:");
    }
    for (auto it = fs::recursive_directory_iterator(override_dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory()) continue;
      std::string rel = fs::relative(it->path(), override_dir).generic_string();
      model::CheckoutFile f = model::read_checkout_file(it->path().string(), root);
      if (!f.refusal.empty()) throw Error(it->path().string() + ": template not read: " + f.refusal + "; templates are regular files of the checkout, at most 1 MiB");
      m_files[rel] = std::move(f.text);
      m_origin[rel] = it->path().string();
    }
    if (ec) throw Error(override_dir + ": " + ec.message());
  }
  uint64_t h = fnv1a(OPSBOOK_VERSION);
  for (const auto& [name, text] : m_files) h = fnv1a(text, fnv1a(name, h));
  m_hash = h;
}

const std::string& Templates::text(const std::string& name) const {
  auto it = m_files.find(name);
  if (it == m_files.end()) throw Error("template '" + name + "' not found (neither built in nor in the templates folder)");
  return it->second;
}

std::string Templates::render_with(const std::string& name, const Data& data, Escape escape) const {
  // Parsing a template costs more than rendering it: compile once per thread, template set and
  // escaping.
  thread_local std::map<std::tuple<uint64_t, std::string, Escape>, std::unique_ptr<kainjow::mustache::mustache>> compiled;
  auto key = std::make_tuple(m_hash, name, escape);
  auto it = compiled.find(key);
  if (it == compiled.end()) {
    if (std::string why = template_bounds(text(name)); !why.empty()) throw Error(m_origin.at(name) + ": " + why);
    auto tmpl = std::make_unique<kainjow::mustache::mustache>(text(name));
    if (!tmpl->is_valid()) throw Error(m_origin.at(name) + ": " + tmpl->error_message());
    if (escape == Escape::none) tmpl->set_custom_escape([](const std::string& s) { return s; });
    it = compiled.emplace(key, std::move(tmpl)).first;
  }
  // A pull request's template can repeat sections over lists inside each other: 50 tags six
  // sections deep asked for 50^6 copies (s11d review B3). The page stops at a bound.
  std::string out;
  struct TooLarge {};
  try {
    it->second->render(data, [&out](const std::string& part) {
      if (out.size() + part.size() > k_max_rendered_bytes) throw TooLarge{};
      out += part;
    });
  } catch (const TooLarge&) {
    throw Error(m_origin.at(name) + ": renders past " + std::to_string(k_max_rendered_bytes >> 20) +
                " MiB for one page (sections repeated inside each other over lists?): not written; simplify the template");
  }
  if (!it->second->is_valid()) throw Error(m_origin.at(name) + ": " + it->second->error_message());
  return out;
}

std::string Templates::render(const std::string& name, const Data& data) const { return render_with(name, data, Escape::html); }

std::string Templates::render_text(const std::string& name, const Data& data) const { return render_with(name, data, Escape::none); }

std::vector<std::string> Templates::asset_names() const {
  std::vector<std::string> out;
  for (const auto& [name, text] : m_files) {
    if (name.starts_with("assets/")) out.push_back(name);
  }
  return out;
}

}  // namespace opsbook::generator
