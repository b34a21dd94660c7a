#include "stackfit/util/file_io.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

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

TEST(FileIo, RefuseExistingSaysWhatTheWriteWouldSay) {
  testing::TempDir dir;
  std::string path = dir.path() + "/page.html";
  EXPECT_TRUE(refuse_existing(path, Overwrite::no));  // absent: fine
  ASSERT_TRUE(write_file_atomic(path, "x", Overwrite::no));
  auto refused = refuse_existing(path, Overwrite::no);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, write_file_atomic(path, "y", Overwrite::no).error().message);
  EXPECT_EQ(refused.error().code, ErrorCode::usage);
  EXPECT_TRUE(refuse_existing(path, Overwrite::yes));
}

TEST(FileIo, AtomicWriteIntoMissingFolderFailsCleanly) {
  auto r = write_file_atomic("/nonexistent/dir/out.yml", "x", Overwrite::yes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::io);
  EXPECT_EQ(r.error().message, "/nonexistent/dir/out.yml: create: No such file or directory");
}

TEST(FileIo, AtomicWriteNeverFollowsASymlinkAtThePath) {
  testing::TempDir dir;
  std::string target = dir.write("target.yml", "theirs\n");
  std::string link = dir.path() + "/out.yml";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  auto refused = write_file_atomic(link, "ours\n", Overwrite::no);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, link + ": already exists; not overwritten (use --force to replace it)");
  // A dangling link counts as existing too: no file is created at its target.
  std::string dangling = dir.path() + "/dangling.yml";
  ASSERT_EQ(::symlink((dir.path() + "/nowhere.yml").c_str(), dangling.c_str()), 0);
  EXPECT_FALSE(write_file_atomic(dangling, "ours\n", Overwrite::no));
  EXPECT_FALSE(file_exists(dir.path() + "/nowhere.yml"));
  // --force replaces the link itself; its target keeps its content.
  ASSERT_TRUE(write_file_atomic(link, "ours\n", Overwrite::yes));
  struct stat st {};
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(*read_file(link), "ours\n");
  EXPECT_EQ(*read_file(target), "theirs\n");
}

TEST(FileIo, AtomicWriteRefusesASymlinkPlantedAtItsTemporaryName) {
  testing::TempDir dir;
  std::string target = dir.write("victim.txt", "keep\n");
  std::string path = dir.path() + "/out.yml";
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  ASSERT_EQ(::symlink(target.c_str(), tmp.c_str()), 0);
  auto r = write_file_atomic(path, "x", Overwrite::yes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ": create: File exists");
  EXPECT_EQ(*read_file(target), "keep\n");
  EXPECT_FALSE(file_exists(path));
}

TEST(FileIo, AtomicWriteCreatesMode0644LessTheUmask) {
  testing::TempDir dir;
  mode_t old = ::umask(077);
  auto r = write_file_atomic(dir.path() + "/private.yml", "x", Overwrite::no);
  ::umask(022);
  auto r2 = write_file_atomic(dir.path() + "/public.yml", "x", Overwrite::no);
  ::umask(old);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r2);
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() + "/private.yml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::stat((dir.path() + "/public.yml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

}  // namespace
}  // namespace stackfit
