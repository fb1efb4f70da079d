package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import java.time.Clock;
import java.util.Set;

/**
 * Tells the requester, and each admin, that an approved action could not be delivered to the
 * webhook for 24 hours: someone must carry it out by hand. Needs only a Slack connection, so
 * the webhook dispatcher can be built before the Slack app.
 */
public final class WebhookFailureNotice {

    private final Notifier notifier;
    private final Set<String> admins;
    private final AfterAck afterAck = new AfterAck();

    public WebhookFailureNotice(SlackConnection connection, Clock clock, Set<String> admins) {
        this.notifier = new Notifier(connection.gateway(), clock);
        this.admins = Set.copyOf(admins);
    }

    public void gaveUp(ApprovalRequest request, String error) {
        afterAck.run(() -> {
            Messages.Message message = Messages.plain(":rotating_light: Request "
                    + request.reference() + " (" + ActionDetails.summary(request)
                    + ") was approved, but Countersign could not deliver it to the approval "
                    + "webhook for 24 hours (" + Mrkdwn.escape(error) + "). It has NOT been "
                    + "carried out automatically: please handle it by hand.");
            notifier.dm(request.requester().userId(), message);
            admins.forEach(admin -> notifier.dm(admin, message));
        });
    }
}
