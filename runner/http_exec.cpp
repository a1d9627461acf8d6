// HTTP snippets through libcurl's easy interface: the request as written, no proxy, TLS
// verified, redirects not followed (the status is what the runbook documents). One request per
// handle; curl frames the body (run.cpp refuses Content-Length, Transfer-Encoding, Connection...).
#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <sstream>

#include "model/target.hpp"
#include "model/terminal_text.hpp"
#include "runner/backends.hpp"

namespace opsbook::runner {

namespace {

size_t write_body(char* data, size_t size, size_t count, void* user) {
  (*static_cast<const Output*>(user))(1, std::string_view(data, size * count));
  return size * count;
}

}  // namespace

int exec_http(const std::string& method, const std::string& url, const std::string& headers, const std::string& body,
              const std::string& expect_status, std::chrono::milliseconds timeout, const Output& out) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  curl_slist* list = nullptr;
  std::stringstream lines(headers);
  for (std::string h; std::getline(lines, h);) {
    if (!h.empty() && h.back() == '\r') h.pop_back();
    if (!h.empty()) list = curl_slist_append(list, h.c_str());
  }
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(list, curl_slist_free_all);
  CURL* e = curl.get();
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  if (!body.empty()) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_HTTP09_ALLOWED, 0L);  // a reply without a status line is no answer
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(e, CURLOPT_USERAGENT, "opsbook/" OPSBOOK_VERSION " (run)");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(e);
  if (rc != CURLE_OK) {
    out(2, model::terminal_text(std::string("opsbook: ") + method + " " + url + ": " + (error[0] ? error : curl_easy_strerror(rc))) + "\n");  // a value or host mapping can hold ESC (s11a B10)
    return 1;
  }
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  out(2, "\nHTTP " + std::to_string(status) + "\n");
  bool ok = expect_status.empty() ? status < 400 : model::StatusSpec(expect_status).matches(static_cast<int>(status));
  return ok ? 0 : 1;
}

}  // namespace opsbook::runner
