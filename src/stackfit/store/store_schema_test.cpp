// The exact one-line errors of SampleStore::open (store_schema.cpp decides
// most of them), and that a refused file is left untouched.
#include "stackfit/store/store_schema.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "stackfit/store/sample_store.hpp"
#include "stackfit/util/file_io.hpp"
#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

// Builds a database the way another program would, with the SQLite API.
void make_foreign_db(const std::string& path, const std::string& extra_sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');" + extra_sql;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(SampleStoreOpen, ForeignSqliteDatabaseIsRefusedAndUntouched) {
  testing::TempDir dir;
  std::string path = dir.path() + "/notes.db";
  make_foreign_db(path, "");
  std::string before = *read_file(path);
  auto store = SampleStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::bad_input);
  EXPECT_EQ(store.error().message, path + ": not a stackfit store (application_id 0x00000000)");
  EXPECT_EQ(*read_file(path), before);
  EXPECT_FALSE(file_exists(path + "-wal"));
}

TEST(SampleStoreOpen, OtherApplicationIdIsNamedInHex) {
  testing::TempDir dir;
  std::string path = dir.path() + "/other.db";
  make_foreign_db(path, "PRAGMA application_id = 305441741;");  // 0x1234abcd
  auto store = SampleStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message, path + ": not a stackfit store (application_id 0x1234abcd)");
}

TEST(SampleStoreOpen, TextFileIsNotADatabase) {
  testing::TempDir dir;
  std::string content = "services:\n  web:\n    image: nginx\n";
  std::string path = dir.write("compose.yml", content);
  auto store = SampleStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::bad_input);
  EXPECT_EQ(store.error().message, path + ": not a stackfit store (file is not a database)");
  EXPECT_EQ(*read_file(path), content);
}

TEST(SampleStoreOpen, LargeBinaryFileIsNotADatabase) {
  testing::TempDir dir;
  std::string path = dir.write("blob.bin", std::string(64 * 1024, '\x7f'));
  auto store = SampleStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message, path + ": not a stackfit store (file is not a database)");
}

TEST(SampleStoreOpen, NewerSchemaIsRefused) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  ASSERT_TRUE(SampleStore::open(path));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = SampleStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::bad_input);
  EXPECT_EQ(store.error().message, path + ": schema version 7 is newer than this stackfit (3)");
}

TEST(SampleStoreOpen, PathUnderARegularFileCannotBeOpened) {
  // Tests run as root, so permissions cannot make a path unwritable: a path
  // whose "folder" is a regular file can never be created, even by root.
  testing::TempDir dir;
  std::string file = dir.write("file", "x");
  std::string path = file + "/db";
  auto store = SampleStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::io);
  EXPECT_EQ(store.error().message, path + ": cannot open: Not a directory");
  auto created = SampleStore::open(path, ParentFolder::create);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::io);
  EXPECT_EQ(created.error().message, path + ": cannot open: Not a directory");
}

TEST(SampleStoreOpen, MissingFolderIsAnErrorUnlessAskedToCreateIt) {
  testing::TempDir dir;
  std::string path = dir.path() + "/state/stackfit/s.db";
  auto store = SampleStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::io);
  EXPECT_EQ(store.error().message, path + ": cannot open: No such file or directory");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/state"));
  ASSERT_TRUE(SampleStore::open(path, ParentFolder::create));
  EXPECT_TRUE(file_exists(path));
}

TEST(SampleStoreOpen, DirectoryCannotBeOpened) {
  testing::TempDir dir;
  auto store = SampleStore::open(dir.path());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::io);
  EXPECT_EQ(store.error().message, dir.path() + ": cannot open: Is a directory");
}

TEST(SampleStoreOpen, EmptyPathIsAUsageError) {
  auto store = SampleStore::open("");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::usage);
  EXPECT_EQ(store.error().message, "store path is empty");
}

TEST(SampleStoreOpen, TwoConnectionsShareOneStore) {
  testing::TempDir dir;
  std::string path = dir.path() + "/s.db";
  auto writer = SampleStore::open(path);
  auto reader = SampleStore::open(path);
  ASSERT_TRUE(writer && reader);
  auto key = writer->upsert_container(ContainerInfo{"id1", "n", "p", "s", 1, "img", {}, 0, 0, false, "/c", std::nullopt, std::nullopt}, 0);
  ASSERT_TRUE(key);
  Sample s;
  s.time_ns = 5;
  ASSERT_TRUE(writer->append_samples({{*key, s}}));
  auto series = reader->load_series(0, 10);
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ((*series)[0].samples.size(), 1u);
}

}  // namespace
}  // namespace stackfit
