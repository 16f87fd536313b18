#if canImport(Glibc)
import Glibc
#endif

/// Removing a folder the agent made (a private `HOME` for kubectl) with all it holds.
enum FileTree {
    /// Removes `path`: a file or symlink itself, a folder after its contents. Symlinks are never
    /// followed, so nothing outside `path` is touched.
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            unlink(path)
            return
        }
        for name in SystemRoot("/").list(path) { remove(path + "/" + name) }
        rmdir(path)
    }
}
