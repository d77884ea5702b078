// semcache-bench-http: the timing client of bench/http (run it through bench/run-all.sh).
//
//   semcache-bench-http latency --target NAME=URL [--target NAME=URL ...] --body FILE [--target-body NAME=FILE ...]
//                               [--requests 2000] [--warmup 200]
//       One keep-alive connection per target; requests alternate between the targets so that
//       background load on a shared machine hits every side alike. A body containing @UNIQUE@ gets a
//       fresh token there on every request (every request misses). `--target-body` gives one target
//       its own body (e.g. the request as the sidecar sends it upstream). Prints one JSON line per target.
//   semcache-bench-http fill --url URL --body FILE --requests N [--connections 8]
//       Posts N distinct bodies (@UNIQUE@ replaced), to create N cache entries. Prints one JSON line.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())

func options(_ name: String) -> [String] {
    var values: [String] = []
    var index = 0
    while index < arguments.count - 1 {
        if arguments[index] == "--\(name)" { values.append(arguments[index + 1]); index += 1 }
        index += 1
    }
    return values
}

func option(_ name: String, _ fallback: String) -> String { options(name).last ?? fallback }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("semcache-bench-http: \(message)\n".utf8))
    exit(1)
}

do {
    let template = try BodyTemplate(path: option("body", "bench/http/chat-request.json"))
    let headers = [("content-type", "application/json"), ("authorization", "Bearer sk-bench")]
        + options("header").map { header -> (String, String) in
            let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    switch arguments.first {
    case "latency":
        let targets = try options("target").map(Target.init(argument:))
        guard !targets.isEmpty else { fail("latency needs at least one --target NAME=URL") }
        var templates = Array(repeating: template, count: targets.count)
        for argument in options("target-body") {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let index = targets.firstIndex(where: { $0.name == parts[0] }) else {
                fail("--target-body must name a target: NAME=FILE, got \(argument)")
            }
            templates[index] = try BodyTemplate(path: parts[1])
        }
        let results = try runLatency(
            targets: targets, templates: templates, headers: headers,
            requests: Int(option("requests", "2000")) ?? 2000, warmup: Int(option("warmup", "200")) ?? 200)
        results.forEach { print($0.json) }
    case "fill":
        guard let url = options("url").last else { fail("fill needs --url URL") }
        let target = try Target(argument: "fill=\(url)")
        print(try runFill(target: target, template: template, headers: headers,
                          requests: Int(option("requests", "1000")) ?? 1000,
                          connections: Int(option("connections", "8")) ?? 8))
    default:
        fail("usage: semcache-bench-http latency|fill … (see the comment at the top of main.swift)")
    }
} catch {
    fail("\(error)")
}
