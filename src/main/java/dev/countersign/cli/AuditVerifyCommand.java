package dev.countersign.cli;

import dev.countersign.audit.AuditVerification;
import dev.countersign.config.ToolSettings;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit verify}: checks the whole hash chain; exit 1 names the first bad row. */
@Command(name = "verify", description = "Check every audit row against the hash chain. Exits 1 "
        + "and names the first bad row if any row was changed or removed.")
final class AuditVerifyCommand implements Callable<Integer> {

    @ParentCommand
    private AuditCommand audit;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Override
    public Integer call() {
        Optional<ToolSettings> settings = OperatorTools.settings(audit.root(), spec);
        if (settings.isEmpty()) {
            return CountersignCommand.USAGE;
        }
        return OperatorTools.withDatabase(spec, settings.get(), store -> {
            PrintWriter out = spec.commandLine().getOut();
            AuditVerification.Result result = new AuditVerification(store).verify();
            if (result instanceof AuditVerification.Result.Broken broken) {
                out.println("audit trail BROKEN at row " + broken.rowId() + ": "
                        + broken.reason());
                return CountersignCommand.FAILED;
            }
            long rows = result.rowsChecked();
            out.println("audit trail OK: " + rows + (rows == 1 ? " row" : " rows"));
            return CountersignCommand.OK;
        });
    }
}
