// The probes of one kind for a live run, identical ones merged: each distinct probe is sent once
// and its outcome is attributed to every result (runbook place) that documents it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace opsbook::validator {

template <typename Task>
class ProbeBatch {
 public:
  // `key` says what makes two probes the same (target, expectation, options).
  void add(const std::string& key, Task task, size_t result) {
    auto [it, fresh] = m_index.emplace(key, m_tasks.size());
    if (fresh) {
      m_tasks.push_back(std::move(task));
      m_places.emplace_back();
    }
    m_places[it->second].push_back(result);
  }
  [[nodiscard]] const std::vector<Task>& tasks() const { return m_tasks; }
  // The results documenting task `k`, in the order they were planned.
  [[nodiscard]] const std::vector<size_t>& places(size_t k) const { return m_places[k]; }

 private:
  std::map<std::string, size_t> m_index;
  std::vector<Task> m_tasks;
  std::vector<std::vector<size_t>> m_places;
};

}  // namespace opsbook::validator
