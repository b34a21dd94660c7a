// Thin RAII wrappers over the SQLite C API, for the store only: a prepared
// statement that is prepared once and reused, and the one-line error text
// every store failure carries. Not thread-safe: a statement belongs to the
// connection that prepared it and must be destroyed before that connection
// is closed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stackfit/util/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace stackfit {

// SQLITE_ROW and SQLITE_DONE, for code that does not include sqlite3.h
// (checked against it in sqlite_statement.cpp).
inline constexpr int k_sqlite_row = 100;
inline constexpr int k_sqlite_done = 101;

// "<path>: <action>: <reason>", where the reason is SQLite's message for the
// connection's last failure (e.g. "database or disk is full"). The code is
// io for disk and file failures, unavailable for a lock held past the busy
// timeout, bad_input for a corrupt or foreign file, internal otherwise.
[[nodiscard]] Error sqlite_error(sqlite3* db, int rc, const std::string& path, std::string_view action);

// Runs SQL without results (DDL, PRAGMA, BEGIN). Errors as sqlite_error.
[[nodiscard]] Expected<void> sqlite_exec(sqlite3* db, const char* sql, const std::string& path,
                                         std::string_view action);

class SqliteStatement {
 public:
  SqliteStatement() = default;
  // Errors: sqlite_error(..., "cannot prepare statement").
  [[nodiscard]] static Expected<SqliteStatement> prepare(sqlite3* db, std::string_view sql,
                                                         const std::string& path);
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite. An empty optional binds NULL. A
  // failed bind is remembered and returned by the next step().
  void bind(int index, std::int64_t value);
  void bind(int index, std::optional<std::int64_t> value);
  void bind(int index, std::optional<double> value);
  void bind(int index, std::string_view text);  // copied by SQLite

  // SQLITE_ROW, SQLITE_DONE or an error code.
  [[nodiscard]] int step();
  // Makes the statement reusable: resets it and clears every binding.
  void reset();

  [[nodiscard]] std::int64_t column_int64(int index) const;
  [[nodiscard]] std::optional<std::int64_t> column_optional_int64(int index) const;
  [[nodiscard]] std::optional<double> column_optional_double(int index) const;
  [[nodiscard]] std::string column_text(int index) const;

 private:
  explicit SqliteStatement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
  void remember(int rc);
  sqlite3_stmt* m_stmt = nullptr;
  int m_bind_rc = 0;  // first failed bind since the last reset, 0 when none
};

// The bounds a query binds as ?1 and ?2 (from_ns <= time_ns <= to_ns).
struct RowWindow {
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
};

// Prepares `sql`, binds the window's ends as ?1 and ?2 when given, and calls
// on_row(const SqliteStatement&) for each row. Errors: sqlite_error(...,
// "cannot prepare statement" / "cannot read").
template <class OnRow>
[[nodiscard]] Expected<void> for_each_row(sqlite3* db, const std::string& path, const char* sql,
                                          std::optional<RowWindow> window, OnRow&& on_row) {
  auto stmt = SqliteStatement::prepare(db, sql, path);
  TRY(stmt);
  if (window) {
    stmt->bind(1, window->from_ns);
    stmt->bind(2, window->to_ns);
  }
  int rc = 0;
  while ((rc = stmt->step()) == k_sqlite_row) on_row(*stmt);
  if (rc != k_sqlite_done) return tl::unexpected(sqlite_error(db, rc, path, "cannot read"));
  return {};
}

}  // namespace stackfit
