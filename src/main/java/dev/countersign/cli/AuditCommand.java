package dev.countersign.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit verify | export | anchor}. */
@Command(name = "audit",
        footer = {"", OperatorTools.SETTINGS_HELP},
        description = "Check or export the tamper-evident audit trail.",
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class,
                AuditAnchorCommand.class})
final class AuditCommand implements Callable<Integer> {

    @ParentCommand
    private CountersignCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Say what to do: audit verify, "
                + "audit export --format csv|json, or audit anchor");
    }

    CountersignCommand root() {
        return root;
    }
}
