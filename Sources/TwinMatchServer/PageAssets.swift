import Foundation
import TwinMatchCore

/// The files the server sends as they are: the page (`Public/index.html`, `app.js`, `app.css`, to which the
/// reports' stylesheet is added so that the shortlist and the map look as in a report) and the OpenAPI
/// document (`Public/openapi.json`), read once at start.
struct PageAssets: Sendable {
    let page: String
    let script: String
    let style: String
    let openAPI: String

    static func load() throws -> PageAssets {
        func read(_ name: String) throws -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Public"),
                  let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw InputError(file: "Public/\(name)", kind: .noInput, "the server's page files are missing from its resources: rebuild twinmatch")
            }
            return text
        }
        return PageAssets(page: try read("index.html"), script: try read("app.js"), style: ReportPage.css + "\n" + (try read("app.css")),
                          openAPI: try read("openapi.json"))
    }
}
