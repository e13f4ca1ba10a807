import XCTest
import Foundation

/// A fresh temporary directory.
public func temporaryDirectory(prefix: String = "twinmatch-tests") -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Writes `text` to a fresh temporary file and returns its path.
public func temporaryFile(_ text: String, name: String = "profiles.csv") -> String {
    temporaryFile(bytes: Array(text.utf8), name: name)
}

/// Writes `bytes` to a fresh temporary file and returns its path.
public func temporaryFile(bytes: [UInt8], name: String = "profiles.csv") -> String {
    let path = temporaryDirectory().appendingPathComponent(name).path
    precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
    return path
}

/// A small valid profile file used by several tests.
public let sampleCSV = """
id,name,country,region,lat,lon,population,languages,themes,offers,seeks,migration_links,networks,partners
1,Annecy,FR,84,45.899,6.129,49232,fr,tourism;creative-industries:0.8,creative-industries,energy-transition,,alpine-towns,2
2,Bayreuth,DE,02,49.948,11.578,72940,de,culture-heritage;creative-industries,,,,,1
3,Vicenza,IT,20,45.549,11.549,111980,it,culture-heritage;tourism,energy-transition,,TR:0.2,,
4,Zadar,HR,15,44.119,15.231,67309,hr,culture-heritage:0.5;tourism,,creative-industries,,intercultural-cities,
5,Lyon,FR,84,45.748,4.847,522969,fr,intercultural-dialogue,,,DZ:0.3,intercultural-cities,
6,Dakar,SN,01,14.693,-17.447,2476400,fr;wo,migration-integration,,,,,
7,Empty,DE,,50.0,8.0,0,,,,,,,

"""

/// A test case with a fresh temporary folder per test (`dir`), removed afterwards.
open class FolderTestCase: XCTestCase {
    public var dir: URL!

    /// The prefix of the folder's name.
    open var folderPrefix: String { "twinmatch-tests" }

    open override func setUpWithError() throws { dir = temporaryDirectory(prefix: folderPrefix) }

    open override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A path in the test's folder.
    public func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}
