package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Tells a requester, from the operator's command line, that their request was cancelled: the
 * code modals still open for it switch to the final "Cancelled" screen ({@code views.update} on
 * the view ids the server stored), and the bot sends them a direct message with the reason
 * ({@code chat.postMessage} to their user id). Called with the bot token from the tools'
 * settings; the running server takes no part.
 */
public final class RequesterNotice {

    private final SlackGateway slack;

    RequesterNotice(SlackGateway slack) {
        this.slack = slack;
    }

    /** A notice that calls Slack's Web API at {@code apiUrl} with {@code botToken}. */
    public static RequesterNotice over(String apiUrl, String botToken) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(3, TimeUnit.SECONDS)
                .callTimeout(10, TimeUnit.SECONDS)
                // A retried chat.postMessage could post twice.
                .retryOnConnectionFailure(false)
                .build();
        return new RequesterNotice(new SlackGateway(http, apiUrl, botToken, Duration.ZERO));
    }

    /**
     * What the requester was shown.
     *
     * @param messageError Slack's error for the direct message; null when it was sent
     * @param modalsUpdated how many of the given modals now show the cancellation (a modal the
     *                      person already closed cannot be updated, and is not counted)
     */
    public record Told(String messageError, int modalsUpdated) {

        public boolean messaged() {
            return messageError == null;
        }
    }

    /** {@code request} has just been cancelled by an operator for {@code reason}. */
    public Told cancelled(ApprovalRequest request, String reason, List<String> openModals) {
        int updated = 0;
        for (String viewId : openModals) {
            if (slack.updateModal(viewId, null, FinalScreens.ended(request)).ok()) {
                updated++;
            }
        }
        SlackReply<String> posted = slack.post(request.requester().userId(), message(request,
                reason), null);
        return new Told(posted.error(), updated);
    }

    static String message(ApprovalRequest request, String reason) {
        return ":no_entry_sign: An operator cancelled your request " + request.reference() + " ("
                + Mrkdwn.escape(request.action().summary()) + "). Nothing was approved. Reason: "
                + Mrkdwn.escape(reason);
    }
}
