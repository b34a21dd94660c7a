#include "stackfit/util/file_io.hpp"

#include <gtest/gtest.h>

#include "testing/temp_dir.hpp"

namespace stackfit {
namespace {

TEST(FileIo, MissingFileIsNotFound) {
  auto r = read_file("/nonexistent/stackfit.yml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_EQ(r.error().message, "/nonexistent/stackfit.yml: No such file or directory");
}

TEST(FileIo, DirectoryIsRefused) {
  testing::TempDir dir;
  auto r = read_file(dir.path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, dir.path() + ": is a directory");
}

TEST(FileIo, OversizedFileIsRefusedBeforeReading) {
  testing::TempDir dir;
  std::string path = dir.write("big.yml", std::string(3 * 1024 * 1024, 'a'));
  auto r = read_file(path, 2 * 1024 * 1024);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  EXPECT_EQ(r.error().message, path + ": file larger than 2 MiB, refused");
}

TEST(FileIo, AtomicWriteRefusesToOverwriteWithoutForce) {
  testing::TempDir dir;
  std::string path = dir.path() + "/out.yml";
  ASSERT_TRUE(write_file_atomic(path, "one\n", Overwrite::no));
  auto again = write_file_atomic(path, "two\n", Overwrite::no);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, path + ": already exists; not overwritten (use --force to replace it)");
  EXPECT_EQ(again.error().code, ErrorCode::usage);  // the user's choice to make, not an I/O failure: exit 2
  EXPECT_EQ(*read_file(path), "one\n");
  ASSERT_TRUE(write_file_atomic(path, "two\n", Overwrite::yes));
  EXPECT_EQ(*read_file(path), "two\n");
}

TEST(FileIo, AtomicWriteIntoMissingFolderFailsCleanly) {
  auto r = write_file_atomic("/nonexistent/dir/out.yml", "x", Overwrite::yes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::io);
  EXPECT_EQ(r.error().message, "/nonexistent/dir/out.yml: create: No such file or directory");
}

}  // namespace
}  // namespace stackfit
