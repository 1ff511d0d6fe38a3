#include "tars/store/migration.h"

#include <sstream>

namespace tars::store {

std::vector<std::string> split_statements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  std::istringstream lines{std::string(sql)};
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) continue;
    current += line;
    current += '\n';
    const auto last = line.find_last_not_of(" \t\r");
    if (line[last] == ';') {
      statements.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  return statements;
}

std::vector<Migration> pending_migrations(const std::vector<Migration>& all,
                                          const std::map<int, core::Timestamp>& applied) {
  std::vector<Migration> pending;
  for (const auto& migration : all) {
    if (!applied.contains(migration.version)) pending.push_back(migration);
  }
  return pending;
}

std::vector<MigrationInfo> migration_infos(const std::vector<Migration>& all,
                                           const std::map<int, core::Timestamp>& applied) {
  std::vector<MigrationInfo> infos;
  for (const auto& migration : all) {
    const auto it = applied.find(migration.version);
    infos.push_back({migration.version, migration.name,
                     it == applied.end() ? std::nullopt : std::optional(it->second)});
  }
  return infos;
}

}  // namespace tars::store
