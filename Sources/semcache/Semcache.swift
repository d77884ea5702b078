import ArgumentParser

@main
struct Semcache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "semcache",
        abstract: "A semantic response cache for LLM APIs, run as a local HTTP sidecar.",
        subcommands: [
            ServeCommand.self, EmbedCommand.self, StatsCommand.self, EntriesCommand.self, PurgeCommand.self, ExportCommand.self, SearchCommand.self,
            PrewarmCommand.self, PricesCommand.self,
        ])
}
