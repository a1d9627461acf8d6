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
    auto tmpl = std::make_unique<kainjow::mustache::mustache>(text(name));
    if (!tmpl->is_valid()) throw Error(m_origin.at(name) + ": " + tmpl->error_message());
    if (escape == Escape::none) tmpl->set_custom_escape([](const std::string& s) { return s; });
    it = compiled.emplace(key, std::move(tmpl)).first;
  }
  std::string out = it->second->render(data);
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
