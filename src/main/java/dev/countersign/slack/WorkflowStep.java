package dev.countersign.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.FunctionExecutedEvent;
import dev.countersign.api.StatusWords;
import dev.countersign.approval.ActionInput;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeDelivery;
import dev.countersign.approval.ExternalRequests;
import dev.countersign.approval.ExternalRequests.Asked;
import dev.countersign.approval.RequestOrigin;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.StatusReports;
import dev.countersign.json.Json;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;
import dev.countersign.people.SlackUserId;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Workflow Builder step {@code approve_with_code}: acknowledged at once, its inputs checked
 * by the slash command's rules, the requester sent the same review message as an API request,
 * and the step completed when the request ends ({@code approved: false} for a rejection, expiry
 * or lock, so workflows can branch on it). Each outcome is recorded before Slack is told and
 * resent until Slack has it ({@link StepCompletions}), so every execution completes once, across
 * restarts.
 *
 * <p>The step's {@code bot_access_token} is used for the calls made for its execution (the
 * review message, the completion) while this process holds it: it is kept in memory only
 * (tokens are never stored), so after a restart the app's own bot token completes the step.
 */
final class WorkflowStep {

    static final String CALLBACK_ID = "approve_with_code";
    /** How long the requester has to open the request before it expires. */
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(WorkflowStep.class);
    private static final ObjectMapper JSON = Json.newMapper();

    private final Installation installation;
    private final ExternalRequests external;
    private final ReviewMessages reviews;
    private final StatusReports requests;
    private final CodeDelivery delivery;
    private final StepCompletions completions;
    private final SlackGateway slack;
    private final AfterAck afterAck;
    private final Clock clock;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Set<String> sending = ConcurrentHashMap.newKeySet();

    WorkflowStep(Installation installation, ExternalRequests external, ReviewMessages reviews,
                 StatusReports requests, CodeDelivery delivery, StepCompletions completions,
                 SlackGateway slack, AfterAck afterAck, Clock clock) {
        this.installation = installation;
        this.external = external;
        this.reviews = reviews;
        this.requests = requests;
        this.delivery = delivery;
        this.completions = completions;
        this.slack = slack;
        this.afterAck = afterAck;
        this.clock = clock;
    }

    /** {@code function_executed} for {@value #CALLBACK_ID}. */
    Response executed(EventsApiPayload<FunctionExecutedEvent> payload, EventContext ctx) {
        FunctionExecutedEvent event = payload.getEvent();
        String execution = event.getFunctionExecutionId();
        if (execution != null) {
            if (event.getBotAccessToken() != null) {
                tokens.put(execution, event.getBotAccessToken());
            }
            afterAck.run(() -> start(event));
        }
        return ctx.ack();
    }

    private void start(FunctionExecutedEvent event) {
        String execution = event.getFunctionExecutionId();
        Map<String, FunctionExecutedEvent.InputValue> inputs = event.getInputs() == null
                ? Map.of() : event.getInputs();
        String requester = input(inputs, "requester");
        if (!SlackUserId.isValid(requester)) {
            fail(execution, "Countersign needs the step's requester: the Slack user who must "
                    + "approve.");
            return;
        }
        String type = Optional.ofNullable(input(inputs, "action_type")).orElse("payment")
                .strip().toLowerCase(Locale.ROOT);
        ActionInput.Built built = switch (type) {
            case "payment" -> ActionInput.payment(input(inputs, "amount"),
                    input(inputs, "currency"), input(inputs, "payee"), input(inputs, "memo"));
            case "signature" -> ActionInput.signature(input(inputs, "document"),
                    input(inputs, "counterparty"));
            case "generic" -> ActionInput.generic(input(inputs, "description"));
            default -> null;
        };
        if (built == null) {
            fail(execution, "action_type must be payment, signature or generic, not \""
                    + type + "\".");
            return;
        }
        if (built.action().isEmpty()) {
            fail(execution, "Countersign could not start the approval: " + built.problems()
                    .entrySet().stream().map(problem -> problem.getKey() + ": "
                            + problem.getValue()).collect(Collectors.joining(" ")));
            return;
        }
        Asked asked = external.ask(installation.person(requester), built.action().get(),
                RequestOrigin.workflow(execution), LIFETIME,
                Optional.of(new ExternalRequests.IdempotencyKey(execution, execution)));
        switch (asked) {
            case Asked.Created(var request, var challenge) -> {
                if (!reviews.post(request, tokens.get(execution))) {
                    delivery.abandon(challenge.id(), "the person could not be messaged in Slack")
                            .ifPresent(this::ended);
                }
            }
            case Asked.Repeated repeated ->
                    log.debug("step {} delivered again; its request is under way", execution);
            case Asked.KeyReused reused ->
                    log.debug("step {} delivered again; its request is under way", execution);
            case Asked.Refused(var reason, String message) -> fail(execution, switch (reason) {
                case NOT_ENROLLED -> "The requester has not enrolled a phone with Countersign "
                        + "yet (in Slack: /approve enroll), so they cannot approve anything.";
                case HELD, RATE_LIMITED, SAME_PHONE -> message;
            });
        }
    }

    /** A request ended: if a workflow step asked for it, the step completes with its outcome. */
    void ended(ApprovalRequest request) {
        // Every move's screens notice comes here: an open request needs no database read.
        if (request.status().isOpen()) {
            return;
        }
        RequestOrigin origin = external.originOf(request.id());
        if (origin.source() != RequestOrigin.Source.WORKFLOW) {
            return;
        }
        ObjectNode outputs = JSON.createObjectNode();
        boolean approved = request.status() == RequestStatus.APPROVED;
        outputs.put("approved", approved);
        outputs.put("status", StatusWords.of(request.status()));
        outputs.put("reference", request.reference());
        if (approved && SlackUserId.isValid(request.decidedBy())) {
            outputs.put("approved_by", request.decidedBy());
        }
        complete(new StepCompletions.Completion(origin.functionExecutionId(), request.id(),
                outputs.toString(), null));
    }

    private void fail(String execution, String message) {
        complete(new StepCompletions.Completion(execution, null, null, message));
    }

    private void complete(StepCompletions.Completion completion) {
        if (completions.record(completion, clock.instant())) {
            send(completion);
        }
    }

    /**
     * At start-up: records the outcome of workflow requests that ended without one (a stop in
     * between), then sends every outcome Slack has not taken yet.
     */
    void resume() {
        for (String requestId : completions.endedWithoutOutcome()) {
            requests.find(requestId).ifPresent(this::ended);
        }
        retryPending();
    }

    /** Every sweep: sends again the outcomes Slack has not taken yet (it was down, say). */
    void retryPending() {
        completions.pending().forEach(this::send);
    }

    private void send(StepCompletions.Completion completion) {
        String execution = completion.executionId();
        // One send at a time per execution, and only while still owed: a start-up pass, a
        // sweep and the ending itself may all reach the same outcome at once.
        if (!sending.add(execution)) {
            return;
        }
        try {
            if (completions.stillPending(execution)) {
                sendNow(completion);
            }
        } finally {
            sending.remove(execution);
        }
    }

    private void sendNow(StepCompletions.Completion completion) {
        String execution = completion.executionId();
        SlackReply<Void> reply = slack.completeFunction(tokens.get(execution), execution,
                completion.outputsJson(), completion.error());
        // An answer that a retry would not change: the outcome is as delivered as it gets.
        if (!reply.failedForNow()) {
            if (!reply.ok()) {
                log.warn("step {} not completed: Slack answered {}; not retried", execution,
                        reply.error());
            }
            completions.done(execution, clock.instant());
            tokens.remove(execution);
        } else {
            log.warn("step {} not completed yet ({}); will retry", execution, reply.error());
        }
    }

    private static String input(Map<String, FunctionExecutedEvent.InputValue> inputs,
                                String name) {
        FunctionExecutedEvent.InputValue value = inputs.get(name);
        return value == null ? null : value.asString();
    }
}
