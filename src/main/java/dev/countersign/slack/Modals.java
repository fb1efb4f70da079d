package dev.countersign.slack;

import com.slack.api.model.view.View;
import dev.countersign.people.Actor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and updates Countersign's modals. Which modal shows which request is stored
 * ({@link SlackSurfaces}), so a restart can still update it; the latest view hash lives only
 * here, in memory: it guards against an older update overwriting a newer one, and an update
 * made without one (after a restart) is still accepted by Slack.
 */
final class Modals {

    private static final Logger log = LoggerFactory.getLogger(Modals.class);

    private final SlackGateway slack;
    private final SlackSurfaces surfaces;
    private final Clock clock;
    private final Map<String, String> hashes = new ConcurrentHashMap<>();

    Modals(SlackGateway slack, SlackSurfaces surfaces, Clock clock) {
        this.slack = slack;
        this.surfaces = surfaces;
        this.clock = clock;
    }

    /** {@code views.open}; the caller then says which request it shows ({@link #shows}). */
    SlackReply<SlackGateway.ViewRef> open(String triggerId, View view) {
        return slack.openModal(triggerId, view);
    }

    /** Whether {@code trigger} may still open a modal (a trigger too old is counted). */
    boolean stillUsable(Trigger trigger) {
        return slack.stillUsable(trigger);
    }

    /** Modal {@code viewId} (opened, or a form turned into the code modal) shows the request. */
    void shows(String viewId, String hash, String requestId, Actor viewer) {
        remember(viewId, hash);
        surfaces.modalOpened(viewId, requestId, viewer, clock.instant());
    }

    /**
     * {@code views.update} with the latest hash known. On {@code hash_conflict} (someone else's
     * update came first) it is tried once more without a hash: ours is the newer content.
     */
    SlackReply<SlackGateway.ViewRef> update(String viewId, View view) {
        String hash = hashes.get(viewId);
        SlackReply<SlackGateway.ViewRef> reply = slack.updateModal(viewId, hash, view);
        if (!reply.ok() && "hash_conflict".equals(reply.error())) {
            reply = slack.updateModal(viewId, null, view);
        }
        if (reply.ok()) {
            remember(viewId, reply.value().hash());
        } else {
            log.warn("modal {} not updated: {}", viewId, reply.error());
        }
        return reply;
    }

    /** Every modal showing the request, newest first. */
    List<String> showing(String requestId) {
        return surfaces.modalsOf(requestId);
    }

    /** The newest modal showing the request to {@code viewer}, if any. */
    Optional<String> showing(String requestId, Actor viewer) {
        return surfaces.modalOf(requestId, viewer);
    }

    /** Nothing updates modal {@code viewId} after its final screen: its hash is dropped. */
    void finished(String viewId) {
        hashes.remove(viewId);
    }

    /** The person closed the modal: forget it. */
    void closed(String viewId) {
        hashes.remove(viewId);
        surfaces.modalClosed(viewId);
    }

    private void remember(String viewId, String hash) {
        if (hash != null) {
            hashes.put(viewId, hash);
        }
    }
}
