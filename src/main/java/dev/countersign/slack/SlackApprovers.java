package dev.countersign.slack;

import dev.countersign.people.Actor;
import dev.countersign.approval.ApproverDirectory;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approvers: the configured user ids plus the members of a Slack user group. The group is read
 * from Slack in the background and cached, so a button click never waits on Slack; if a refresh
 * fails the last known members stay.
 */
final class SlackApprovers implements ApproverDirectory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlackApprovers.class);

    private final Set<String> configured;
    private final Optional<String> usergroup;
    private final SlackGateway slack;
    private volatile Set<String> groupMembers = Set.of();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("approver-group-refresh").daemon().factory());

    SlackApprovers(Set<String> configured, Optional<String> usergroup, SlackGateway slack) {
        this.configured = Set.copyOf(configured);
        this.usergroup = usergroup;
        this.slack = slack;
    }

    /** Loads the group now and then every {@code every}. */
    void start(Duration every) {
        if (usergroup.isEmpty()) {
            return;
        }
        refresh();
        timer.scheduleWithFixedDelay(this::refresh, every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void refresh() {
        SlackReply<java.util.List<String>> members = slack.usergroupMembers(
                usergroup.get());
        if (members.ok()) {
            groupMembers = Set.copyOf(new HashSet<>(members.value()));
        } else {
            log.warn("could not read approver group {}: {} (keeping {} known members)",
                    usergroup.get(), members.error(), groupMembers.size());
        }
    }

    @Override
    public boolean isApprover(Actor actor) {
        return configured.contains(actor.userId()) || groupMembers.contains(actor.userId());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
