package dev.countersign.cli;

import dev.countersign.audit.AuditExport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit export --format csv|json [--since …]} to standard output. */
@Command(name = "export", description = "Write the audit trail to standard output, oldest first.")
final class AuditExportCommand implements Callable<Integer> {

    @ParentCommand
    private AuditCommand audit;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--format", required = true, paramLabel = "csv|json",
            converter = Converters.FormatConverter.class,
            description = "csv (RFC 4180, with a header line) or json (one array of objects).")
    private AuditExport.Format format;

    @Option(names = "--since", paramLabel = "WHEN", converter = Converters.SinceConverter.class,
            description = "Only rows at or after this: a UTC date like 2026-11-01, or an instant "
                    + "like 2026-11-01T10:00:00Z.")
    private Instant since;

    @Override
    public Integer call() {
        return OperatorTools.withDatabase(audit.root(), spec, store -> {
            PrintWriter out = spec.commandLine().getOut();
            long rows = new AuditExport(store).write(out, format,
                    since == null ? Instant.EPOCH : since);
            out.flush();
            spec.commandLine().getErr()
                    .println("exported " + rows + (rows == 1 ? " row" : " rows"));
            return CountersignCommand.OK;
        });
    }
}
