package dev.countersign.slack;

import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;
import dev.countersign.approval.CodeVerification;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.StatusReports;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A code typed into the modal ({@code view_submission}). Slack waits at most 3 seconds for the
 * answer, so the provider gets {@code checkDeadline} (about 2 s); past it the modal says
 * "Checking…" and is updated when the answer comes.
 */
final class CodeSubmission {

    private static final Logger log = LoggerFactory.getLogger(CodeSubmission.class);

    private final Installation installation;
    private final CodeVerification verification;
    private final StatusReports requests;
    private final AfterAck afterAck;
    private final CodeCheckAnswers answers;
    private final CodeFlow codeFlow;
    private final Modals modals;
    private final Duration checkDeadline;

    CodeSubmission(Installation installation, CodeVerification verification, StatusReports requests,
                   AfterAck afterAck, CodeCheckAnswers answers, CodeFlow codeFlow, Modals modals,
                   Duration checkDeadline) {
        this.installation = installation;
        this.verification = verification;
        this.requests = requests;
        this.afterAck = afterAck;
        this.answers = answers;
        this.codeFlow = codeFlow;
        this.modals = modals;
        this.checkDeadline = checkDeadline;
    }

    Response handle(ViewSubmissionRequest request, ViewSubmissionContext ctx) {
        ViewSubmissionPayload payload = request.getPayload();
        View view = payload.getView();
        String requestId = view.getPrivateMetadata();
        if (requestId == null || requestId.isBlank()) {
            return ctx.ackWithErrors(Map.of(CodeModal.CODE_BLOCK,
                    "This window is out of date. Close it and start again."));
        }
        Actor submitter = installation.person(payload.getUser().getId());
        String code = typedCode(view);
        CompletableFuture<Check> check = afterAck.supply(
                () -> verification.verify(requestId, submitter, code));
        try {
            Check result = check.get(checkDeadline.toMillis(), TimeUnit.MILLISECONDS);
            return answerNow(ctx, answers.of(result, view.getId(), submitter), view.getId());
        } catch (TimeoutException slow) {
            check.thenAccept(result -> answerLater(view.getId(), requestId,
                    answers.of(result, view.getId(), submitter)));
            return requests.find(requestId)
                    .map(current -> ctx.ackWithUpdate(CodeModal.checking(current)))
                    .orElseGet(() -> ctx.ackWithErrors(Map.of(CodeModal.CODE_BLOCK,
                            "Still checking your code…")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ctx.ackWithErrors(Map.of(CodeModal.CODE_BLOCK, "Please try again."));
        } catch (ExecutionException e) {
            log.error("checking a code failed: {}", e.getCause().toString(), e.getCause());
            return ctx.ackWithErrors(Map.of(CodeModal.CODE_BLOCK,
                    "Something went wrong checking your code; that attempt wasn't counted. Try again."));
        }
    }

    private Response answerNow(ViewSubmissionContext ctx, CodeCheckAnswers.Outcome outcome,
                               String viewId) {
        afterAck.run(() -> outcome.followUp().accept(viewId));
        return switch (outcome.answer()) {
            case CodeCheckAnswers.Answer.Error(String message) ->
                    ctx.ackWithErrors(Map.of(CodeModal.CODE_BLOCK, message));
            case CodeCheckAnswers.Answer.Replace(View replacement) ->
                    ctx.ackWithUpdate(replacement);
        };
    }

    /**
     * After "Checking…": the modal no longer has the input, so errors redraw the code screen. A
     * move is shown in this modal by its recorded notices, like everywhere else it shows.
     */
    private void answerLater(String viewId, String requestId, CodeCheckAnswers.Outcome outcome) {
        if (!outcome.announced()) {
            switch (outcome.answer()) {
                case CodeCheckAnswers.Answer.Error(String message) ->
                        codeFlow.redraw(viewId, requestId, message);
                case CodeCheckAnswers.Answer.Replace(View replacement) ->
                        modals.update(viewId, replacement);
            }
        }
        outcome.followUp().accept(null);
    }

    static String typedCode(View view) {
        if (view.getState() == null || view.getState().getValues() == null) {
            return "";
        }
        Map<String, ViewState.Value> block = view.getState().getValues().get(CodeModal.CODE_BLOCK);
        ViewState.Value value = block == null ? null : block.get(CodeModal.CODE_ACTION);
        return value == null || value.getValue() == null ? "" : value.getValue();
    }
}
