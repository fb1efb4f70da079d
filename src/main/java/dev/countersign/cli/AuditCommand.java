package dev.countersign.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code audit verify | export | anchor}. */
@Command(name = "audit",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Check or export the tamper-evident audit trail.",
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class,
                AuditAnchorCommand.class})
final class AuditCommand implements Callable<Integer> {

    @Mixin
    private ToolRun tool;

    @Override
    public Integer call() {
        throw tool.usageError("Say what to do: audit verify, "
                + "audit export --format csv|json, or audit anchor");
    }
}
