// GFM tables: what kind of table it is (health checks, ports, severity, escalation, contacts)
// and the endpoints and ports it documents.
#pragma once

#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

// `context` is the bold label or heading above the table.
TableKind classify_table(const Table& table, std::string_view context);

// For tables whose cells hold inline code: cells[i][j] is the code text of that cell, if any.
void endpoints_from_table(const Table& table, std::vector<Endpoint>& out);
void ports_from_table(const Table& table, std::vector<Port>& out);

// "80, 443", "80/443", "8080:80" (docker's host:container) -> the numbers, in order.
std::vector<int> parse_ports(std::string_view cell);

}  // namespace opsbook::model
