package dev.countersign.cli;

import dev.countersign.audit.AuditExport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audit export --format csv|json [--since …] [--until …] [--type …]} to standard output. */
@Command(name = "export",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Write the audit trail to standard output, oldest first.")
final class AuditExportCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Option(names = "--format", required = true, paramLabel = "csv|json",
            converter = Converters.FormatConverter.class,
            description = "csv (RFC 4180, with a header line) or json (one array of objects).")
    private AuditExport.Format format;

    @Option(names = "--since", paramLabel = "WHEN", converter = Converters.WhenConverter.class,
            description = "Only rows at or after this: a UTC date like 2026-11-01, an instant "
                    + "like 2026-11-01T10:00:00Z, or a time ago like 24h or 7d.")
    private Instant since;

    @Option(names = "--until", paramLabel = "WHEN", converter = Converters.WhenConverter.class,
            description = "Only rows before this (same forms as --since).")
    private Instant until;

    @Option(names = "--type", paramLabel = "EVENT", split = ",",
            description = "Only these event types, like request.approved, or a prefix like "
                    + "request.* (repeat or separate with commas).")
    private List<String> types = List.of();

    @Override
    public Integer call() {
        return tool.withDatabase(store -> {
            PrintWriter out = tool.out();
            long rows = new AuditExport(store).write(out, format, new AuditExport.Filter(
                    since == null ? Instant.EPOCH : since, until == null ? Instant.MAX : until,
                    Set.copyOf(types)));
            out.flush();
            tool.err()
                    .println("exported " + rows + (rows == 1 ? " row" : " rows"));
            return CountersignCommand.OK;
        });
    }
}
