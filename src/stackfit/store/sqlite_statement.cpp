#include "stackfit/store/sqlite_statement.hpp"

#include <sqlite3.h>

#include <utility>

namespace stackfit {

static_assert(k_sqlite_row == SQLITE_ROW && k_sqlite_done == SQLITE_DONE);

namespace {

ErrorCode code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return ErrorCode::io;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::unavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::bad_input;
    default:
      return ErrorCode::internal;
  }
}

}  // namespace

Error sqlite_error(sqlite3* db, int rc, const std::string& path, std::string_view action) {
  // sqlite3_errmsg names the constraint or file problem; fall back to the
  // generic text when the connection holds no message for this code.
  const char* reason = db != nullptr && sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error{code_for(rc), path + ": " + std::string(action) + ": " + reason};
}

Expected<void> sqlite_exec(sqlite3* db, const char* sql, const std::string& path, std::string_view action) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db, rc, path, action));
  return {};
}

Expected<SqliteStatement> SqliteStatement::prepare(sqlite3* db, std::string_view sql, const std::string& path) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return tl::unexpected(sqlite_error(db, rc, path, "cannot prepare statement"));
  }
  return SqliteStatement(stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)), m_bind_rc(other.m_bind_rc) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(m_stmt);
    m_stmt = std::exchange(other.m_stmt, nullptr);
    m_bind_rc = other.m_bind_rc;
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(m_stmt); }

void SqliteStatement::remember(int rc) {
  if (rc != SQLITE_OK && m_bind_rc == 0) m_bind_rc = rc;
}

void SqliteStatement::bind(int index, std::int64_t value) { remember(sqlite3_bind_int64(m_stmt, index, value)); }

void SqliteStatement::bind(int index, std::optional<std::int64_t> value) {
  remember(value ? sqlite3_bind_int64(m_stmt, index, *value) : sqlite3_bind_null(m_stmt, index));
}

void SqliteStatement::bind(int index, std::optional<double> value) {
  remember(value ? sqlite3_bind_double(m_stmt, index, *value) : sqlite3_bind_null(m_stmt, index));
}

void SqliteStatement::bind(int index, std::string_view text) {
  remember(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

int SqliteStatement::step() {
  if (m_bind_rc != 0) return m_bind_rc;
  return sqlite3_step(m_stmt);
}

void SqliteStatement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
  m_bind_rc = 0;
}

std::int64_t SqliteStatement::column_int64(int index) const { return sqlite3_column_int64(m_stmt, index); }

std::optional<std::int64_t> SqliteStatement::column_optional_int64(int index) const {
  if (sqlite3_column_type(m_stmt, index) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(m_stmt, index);
}

std::optional<double> SqliteStatement::column_optional_double(int index) const {
  if (sqlite3_column_type(m_stmt, index) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(m_stmt, index);
}

std::string SqliteStatement::column_text(int index) const {
  const unsigned char* text = sqlite3_column_text(m_stmt, index);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, index)));
}

}  // namespace stackfit
