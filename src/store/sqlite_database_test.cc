#include "store/sqlite_database.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/migrations.h"

namespace rempart {
namespace {

namespace fs = std::filesystem;

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("rempart-store-test-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    Remove();
    SqliteOptions options;
    options.create = true;
    auto db = SqliteDatabase::Open(path_, options);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }

  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
};

constexpr Migration kMigrations[] = {
    {1, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB);"},
    {2, "ALTER TABLE t ADD COLUMN score REAL;"},
};

TEST_F(SqliteDatabaseTest, OpensInWalModeWithForeignKeys) {
  auto mode = db_->Query("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ((*mode)[0].Text(0), "wal");
  auto fk = db_->Query("PRAGMA foreign_keys");
  EXPECT_EQ((*fk)[0].Int(0), 1);
}

TEST_F(SqliteDatabaseTest, MigratesOnceAndRefusesANewerSchema) {
  ASSERT_TRUE(Migrate(*db_, kMigrations).ok());
  ASSERT_TRUE(Migrate(*db_, kMigrations).ok());  // idempotent
  auto version = db_->Query("SELECT max(version), count(*) FROM schema_version");
  EXPECT_EQ((*version)[0].Int(0), 2);
  EXPECT_EQ((*version)[0].Int(1), 2);
  EXPECT_EQ(Migrate(*db_, std::span(kMigrations).first(1)).code(), Code::kInvalidInput);
}

TEST_F(SqliteDatabaseTest, BindsAndReadsEveryType) {
  ASSERT_TRUE(Migrate(*db_, kMigrations).ok());
  Bytes blob = {0, 1, 2, 255};
  ASSERT_TRUE(db_->Exec("INSERT INTO t (id, name, data, score) VALUES (?, ?, ?, ?)",
                        {int64_t{7}, std::string("O'Brien; DROP TABLE t"), blob, 2.5})
                  .ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO t (id, name, data) VALUES (?, ?, ?)",
                        {int64_t{8}, nullptr, BlobRef(blob)})
                  .ok());
  auto rows = db_->Query("SELECT id, name, data, score FROM t ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0), 7);
  EXPECT_EQ((*rows)[0].Text(1), "O'Brien; DROP TABLE t");  // a parameter, never SQL
  EXPECT_EQ((*rows)[0].Blob(2), blob);
  EXPECT_DOUBLE_EQ((*rows)[0].Real(3), 2.5);
  EXPECT_TRUE((*rows)[1].IsNull(1));
  EXPECT_EQ((*rows)[1].Blob(2), blob);
}

TEST_F(SqliteDatabaseTest, TransactionsCommitOrRollBackWhole) {
  ASSERT_TRUE(Migrate(*db_, kMigrations).ok());
  Status failed = db_->Transaction([&]() -> Status {
    EXPECT_TRUE(db_->Exec("INSERT INTO t (id) VALUES (1)").ok());
    return Error(Code::kFailed, "stop here");
  });
  EXPECT_EQ(failed.code(), Code::kFailed);
  EXPECT_EQ((*db_->Query("SELECT count(*) FROM t"))[0].Int(0), 0);
  ASSERT_TRUE(db_->Transaction([&] { return db_->Exec("INSERT INTO t (id) VALUES (1)"); }).ok());
  EXPECT_EQ((*db_->Query("SELECT count(*) FROM t"))[0].Int(0), 1);
  // A constraint violation is an error, and the transaction leaves nothing behind.
  Status dup = db_->Transaction([&]() -> Status {
    REMPART_RETURN_IF_ERROR(db_->Exec("INSERT INTO t (id) VALUES (2)"));
    return db_->Exec("INSERT INTO t (id) VALUES (1)");
  });
  EXPECT_FALSE(dup.ok());
  EXPECT_EQ((*db_->Query("SELECT count(*) FROM t"))[0].Int(0), 1);
}

TEST_F(SqliteDatabaseTest, NestedQueriesOfTheSameStatementWork) {
  ASSERT_TRUE(Migrate(*db_, kMigrations).ok());
  for (int64_t i = 1; i <= 3; ++i)
    ASSERT_TRUE(db_->Exec("INSERT INTO t (id) VALUES (?)", {i}).ok());
  int inner_rows = 0;
  // The cached statement is busy in the outer loop: the inner call must get its own.
  ASSERT_TRUE(db_->QueryEach("SELECT id FROM t ORDER BY id", {},
                             [&](const Row&) {
                               return db_->QueryEach("SELECT id FROM t ORDER BY id", {},
                                                     [&](const Row&) {
                                                       ++inner_rows;
                                                       return Status::Ok();
                                                     });
                             })
                  .ok());
  EXPECT_EQ(inner_rows, 9);
}

TEST_F(SqliteDatabaseTest, SnapshotsSeeOneStateWhileAnotherConnectionWrites) {
  ASSERT_TRUE(Migrate(*db_, kMigrations).ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO t (id) VALUES (1)").ok());
  auto other = SqliteDatabase::Open(path_, {});
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(db_->Snapshot([&]() -> Status {
                   EXPECT_EQ((*db_->Query("SELECT count(*) FROM t"))[0].Int(0), 1);
                   EXPECT_TRUE((*other)->Exec("INSERT INTO t (id) VALUES (2)").ok());
                   EXPECT_EQ((*db_->Query("SELECT count(*) FROM t"))[0].Int(0), 1);
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ((*db_->Query("SELECT count(*) FROM t"))[0].Int(0), 2);
}

TEST_F(SqliteDatabaseTest, ANonDatabaseFileIsReportedAsCorrupt) {
  db_.reset();
  Remove();
  FILE* f = std::fopen(path_.c_str(), "wb");
  std::fputs("this is not a database, just some text that is long enough to matter......", f);
  std::fclose(f);
  auto db = SqliteDatabase::Open(path_, {});
  EXPECT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kCorrupt);
}

}  // namespace
}  // namespace rempart
