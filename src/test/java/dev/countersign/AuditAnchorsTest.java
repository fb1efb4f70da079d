package dev.countersign;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.countersign.audit.AuditAnchor;
import dev.countersign.audit.AuditRecord;
import dev.countersign.store.SqliteStore;
import dev.countersign.testing.ApprovalsHarness;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AuditAnchorsTest {

    @TempDir
    Path directory;

    @Test
    void theSignedHeadOfTheTrailIsLoggedAtStartAtInfo() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AuditAnchors.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (ApprovalsHarness harness = new ApprovalsHarness(directory)) {
            harness.enroll(ALICE, ALICE_PHONE);
            SqliteStore store = (SqliteStore) harness.store();
            AuditRecord head = harness.wholeAudit().getLast();

            try (AuditAnchors anchors = AuditAnchors.start(store, store.keys(), harness.clock)) {
                TestApp.awaitCondition(() -> !logged.list.isEmpty(), "the start-up anchor");
            }

            List<ILoggingEvent> events = List.copyOf(logged.list);
            assertThat(events).isNotEmpty();
            assertThat(events.getFirst().getLevel()).isEqualTo(Level.INFO);
            String line = events.getFirst().getFormattedMessage();
            AuditAnchor.Anchor anchor = AuditAnchor.parse(line).orElseThrow();
            assertThat(anchor.rowId()).isEqualTo(head.id());
            assertThat(anchor.hash()).isEqualTo(head.hash());
            assertThat(new AuditAnchor(store.keys()).check(anchor, store))
                    .isInstanceOf(AuditAnchor.Check.Holds.class);
        } finally {
            logger.detachAppender(logged);
        }
    }
}
