package dev.countersign.cli;

import dev.countersign.audit.AuditVerification;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit verify}: checks the whole hash chain; exit 1 names the first bad row. */
@Command(name = "verify",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Check every audit row against the hash chain. Exits 1 "
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
        return OperatorTools.withDatabase(audit.root(), spec, store -> {
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
