// For tests: a SQLite VFS that behaves like a disk with a fixed amount of free space. Writes
// past the budget fail with SQLITE_FULL, the way a full disk does, so tests can show that a
// failed write leaves the database intact (LevelDB's fault-injection Env, for SQLite).
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <string>

namespace rempart::testing {

class DiskFullVfs {
 public:
  // Registers the VFS under `name`; it stays registered for the life of this object.
  explicit DiskFullVfs(std::string name) : name_(std::move(name)) {
    base_ = sqlite3_vfs_find(nullptr);
    vfs_ = *base_;
    vfs_.zName = name_.c_str();
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + base_->szOsFile;
    vfs_.pAppData = this;
    vfs_.xOpen = &Open;
    sqlite3_vfs_register(&vfs_, 0);
  }
  ~DiskFullVfs() { sqlite3_vfs_unregister(&vfs_); }

  const std::string& name() const { return name_; }
  // Bytes that may still be written before writes fail; negative means unlimited.
  void set_budget(int64_t bytes) { budget_ = bytes; }

 private:
  struct File {
    sqlite3_file base;
    DiskFullVfs* owner;
    sqlite3_file* real;
  };

  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                  int* out_flags) {
    auto* self = static_cast<DiskFullVfs*>(vfs->pAppData);
    auto* f = reinterpret_cast<File*>(file);
    f->owner = self;
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + sizeof(File));
    int rc = self->base_->xOpen(self->base_, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
      f->base.pMethods = nullptr;
      return rc;
    }
    self->methods_ = *f->real->pMethods;
    self->methods_.xClose = &Close;
    self->methods_.xRead = &Read;
    self->methods_.xWrite = &Write;
    self->methods_.xTruncate = &Truncate;
    self->methods_.xSync = &Sync;
    self->methods_.xFileSize = &FileSize;
    self->methods_.xLock = &Lock;
    self->methods_.xUnlock = &Unlock;
    self->methods_.xCheckReservedLock = &CheckReservedLock;
    self->methods_.xFileControl = &FileControl;
    self->methods_.xSectorSize = &SectorSize;
    self->methods_.xDeviceCharacteristics = &DeviceCharacteristics;
    self->methods_.xShmMap = &ShmMap;
    self->methods_.xShmLock = &ShmLock;
    self->methods_.xShmBarrier = &ShmBarrier;
    self->methods_.xShmUnmap = &ShmUnmap;
    self->methods_.xFetch = nullptr;
    self->methods_.xUnfetch = nullptr;
    self->methods_.iVersion = 2;
    f->base.pMethods = &self->methods_;
    return SQLITE_OK;
  }
  static sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }
  static int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
  static int Read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
    return Real(f)->pMethods->xRead(Real(f), p, n, off);
  }
  static int Write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
    DiskFullVfs* self = reinterpret_cast<File*>(f)->owner;
    if (self->budget_ >= 0) {
      if (self->budget_ < n) return SQLITE_FULL;
      self->budget_ -= n;
    }
    return Real(f)->pMethods->xWrite(Real(f), p, n, off);
  }
  static int Truncate(sqlite3_file* f, sqlite3_int64 size) {
    return Real(f)->pMethods->xTruncate(Real(f), size);
  }
  static int Sync(sqlite3_file* f, int flags) { return Real(f)->pMethods->xSync(Real(f), flags); }
  static int FileSize(sqlite3_file* f, sqlite3_int64* size) {
    return Real(f)->pMethods->xFileSize(Real(f), size);
  }
  static int Lock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
  static int Unlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
  static int CheckReservedLock(sqlite3_file* f, int* out) {
    return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
  }
  static int FileControl(sqlite3_file* f, int op, void* arg) {
    return Real(f)->pMethods->xFileControl(Real(f), op, arg);
  }
  static int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
  static int DeviceCharacteristics(sqlite3_file* f) {
    return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
  }
  static int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** p) {
    return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, p);
  }
  static int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
  }
  static void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
  static int ShmUnmap(sqlite3_file* f, int del) {
    return Real(f)->pMethods->xShmUnmap(Real(f), del);
  }

  std::string name_;
  sqlite3_vfs* base_;
  sqlite3_vfs vfs_;
  sqlite3_io_methods methods_{};
  std::atomic<int64_t> budget_{-1};
};

}  // namespace rempart::testing
