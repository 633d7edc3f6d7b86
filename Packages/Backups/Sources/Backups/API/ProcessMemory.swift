/// Process-wide memory settings for a long-running process that backs up and restores (`dbm-server`).
public enum ProcessMemory {
    /// Caps glibc's malloc arenas at the number of cores (its default is eight per core). Backups and
    /// restores allocate chunk buffers of up to 512 KiB on many short-lived worker threads; each thread's
    /// arena kept its freed buffers, and the benchmark's peak resident memory grew with every run (99 MiB
    /// for the PostgreSQL runs, 75 MiB with two arenas, at the same speed). Call it first thing in `main`,
    /// before threads start. Does nothing on other C libraries.
    public static func limitAllocatorArenas(cores: Int) {
        #if os(Linux) && canImport(Glibc)
        _ = glibcMallopt(mArenaMax, Int32(max(2, cores)))
        #endif
    }

    #if os(Linux) && canImport(Glibc)
    /// `M_ARENA_MAX` from glibc's `<malloc.h>`, which Swift's Glibc module does not include.
    private static let mArenaMax: Int32 = -8
    #endif
}

#if os(Linux) && canImport(Glibc)
/// glibc's `int mallopt(int param, int value)` (`<malloc.h>`).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
