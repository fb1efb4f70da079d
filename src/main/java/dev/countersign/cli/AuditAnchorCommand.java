package dev.countersign.cli;

import dev.countersign.audit.AuditAnchor;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code audit anchor}: prints and logs the signed head of the trail now. */
@Command(name = "anchor", description = "Print (and log at INFO) the signed head of the audit "
        + "trail: keep it outside the database, and check it later with "
        + "`audit verify --anchor`.")
final class AuditAnchorCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(AuditAnchorCommand.class);

    @Mixin
    private ToolRun tool;

    @Override
    public Integer call() {
        return tool.withDatabase(store -> {
            PrintWriter out = tool.out();
            Optional<AuditAnchor.Anchor> head = new AuditAnchor(store.keys()).head(store,
                    Clock.systemUTC().instant());
            if (head.isEmpty()) {
                out.println("the audit trail has no row yet: nothing to anchor");
                return CountersignCommand.OK;
            }
            log.info("audit anchor {}", head.get().line());
            out.println("audit anchor " + head.get().line());
            return CountersignCommand.OK;
        });
    }
}
