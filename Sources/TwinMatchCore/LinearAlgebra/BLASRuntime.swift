import CTwinBLAS
import Foundation

/// Which BLAS library and kernels are in use, and the start-up step that gets OpenBLAS onto fast kernels.
///
/// OpenBLAS picks its kernels when the library loads, before `main`. Some builds (Debian's 0.3.21) do not
/// recognise recent processors and fall back to generic SSE3 kernels that run about 3× slower. The only
/// way to change that choice is the `OPENBLAS_CORETYPE` variable at load time, so `ensureFastKernels`
/// re-executes the process once with it set when the kernels are generic but the CPU has AVX2 or AVX-512.
/// A value the user set is always honoured.
public enum BLASRuntime {
    /// The kernel family OpenBLAS runs (`Haswell`, `SkylakeX`, `Prescott`…), or nil for another BLAS.
    public static var coreName: String? {
        twinmatch_openblas_corename().map { String(cString: $0) }
    }

    /// OpenBLAS's build configuration string, or nil for another BLAS.
    public static var config: String? {
        twinmatch_openblas_config().map { String(cString: $0) }
    }

    /// The shared library that provides `cblas_sgemm`.
    public static var libraryPath: String {
        twinmatch_blas_library().map { String(cString: $0) } ?? "unknown"
    }

    /// One line for `--version` and benchmark headers.
    public static var summary: String {
        let lib = resolvedLibrary
        if let core = coreName {
            let version = config?.split(separator: " ").first(where: { $0.first?.isNumber == true }).map(String.init) ?? ""
            return "OpenBLAS \(version) kernel \(core), \(BLAS.threads) threads (\(lib))"
        }
        return "reference BLAS (\(lib))"
    }

    static var resolvedLibrary: String {
        URL(fileURLWithPath: libraryPath).resolvingSymlinksInPath().path
    }

    /// Kernel families OpenBLAS falls back to on processors it does not recognise (pre-AVX2).
    static let genericCores: Set<String> = [
        "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "katmai", "coppermine", "northwood",
        "banias", "opteron", "opteron_sse3", "barcelona", "bobcat", "nano", "sandybridge", "bulldozer",
        "piledriver", "steamroller", "excavator", "generic",
    ]

    /// The `OPENBLAS_CORETYPE` to restart with, or nil to keep what runs: only when the user has not set
    /// the variable, the running core is generic, and the CPU supports better kernels.
    public static func preferredCoreType(current: String?, cpuFlags: Set<String>, userValue: String?) -> String? {
        guard userValue == nil || userValue?.isEmpty == true, let current else { return nil }
        guard genericCores.contains(current.lowercased()) else { return nil }
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) { return "Haswell" }
        return nil
    }

    /// The CPU feature flags from `/proc/cpuinfo` (empty where it cannot be read).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// The CPU model name from `/proc/cpuinfo`.
    public static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return trimSpaces(line[line.index(after: colon)...]) }
        }
        return "unknown CPU"
    }

    static let reexecMarker = "TWINMATCH_BLAS_REEXEC"

    /// Restarts the current process once with `OPENBLAS_CORETYPE` set when OpenBLAS runs generic kernels
    /// on a CPU that has better ones. Returns only when no restart is needed or the restart failed.
    public static func ensureFastKernels() {
        let env = ProcessInfo.processInfo.environment
        guard env[reexecMarker] == nil,
              let core = preferredCoreType(current: coreName, cpuFlags: cpuFlags(), userValue: env["OPENBLAS_CORETYPE"])
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(reexecMarker, "1", 1)
        let args = CommandLine.arguments
        var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        cArgs.append(nil)
        execv("/proc/self/exe", &cArgs)
        // execv returned: keep running on the generic kernels.
        unsetenv("OPENBLAS_CORETYPE")
        for p in cArgs { free(p) }
    }
}
