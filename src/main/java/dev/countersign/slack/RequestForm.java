package dev.countersign.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import dev.countersign.approval.Action;
import dev.countersign.approval.CommandParser;
import dev.countersign.approval.InvalidActionException;
import dev.countersign.approval.ReplyTo;
import dev.countersign.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request form ({@code /approve} with no text): kind, amount, currency, payee or document,
 * memo or counterparty. Its {@code private_metadata} carries where the command was typed, so the
 * result can be posted there.
 */
final class RequestForm {

    static final String CALLBACK_ID = "countersign_request_form";
    private static final ObjectMapper JSON = Json.newMapper();
    private static final List<OptionObject> KINDS = List.of(
            option(plainText("Payment"), "payment"),
            option(plainText("Contract signature"), "signature"),
            option(plainText("Other action"), "action"));

    private RequestForm() {
    }

    static View form(ReplyTo replyTo) {
        return view(v -> v.type("modal")
                .callbackId(CALLBACK_ID)
                .privateMetadata(origin(replyTo))
                .title(viewTitle(t -> t.type("plain_text").text("Request approval")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Continue")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(List.of(
                        section(s -> s.text(markdownText("Fill in what needs approving. Next, "
                                + "you'll confirm it with a code sent to your phone."))),
                        input(i -> i.blockId("kind").label(plainText("What is it?"))
                                .element(staticSelect(e -> e.actionId("value").options(KINDS)
                                        .initialOption(KINDS.get(0))))),
                        input(i -> i.blockId("amount").optional(true).label(plainText("Amount"))
                                .hint(plainText("Payments only, like 2,500.00"))
                                .element(plainTextInput(e -> e.actionId("value").maxLength(20)))),
                        input(i -> i.blockId("currency").optional(true).label(plainText("Currency"))
                                .hint(plainText("Payments only: an ISO 4217 code like USD"))
                                .element(plainTextInput(e -> e.actionId("value").maxLength(3)
                                        .initialValue("USD")))),
                        input(i -> i.blockId("subject")
                                .label(plainText("Payee, document, or the action"))
                                .element(plainTextInput(e -> e.actionId("value").maxLength(300)))),
                        input(i -> i.blockId("detail").optional(true)
                                .label(plainText("Memo (payment) or counterparty (signature)"))
                                .element(plainTextInput(e -> e.actionId("value").maxLength(
                                        200)))))));
    }

    /** The action the form describes, or per-field problems keyed by block id. */
    record Parsed(Action action, Map<String, String> errors) {
    }

    static Parsed parse(ViewState state) {
        String kind = selected(state, "kind").orElse("payment");
        String subject = text(state, "subject");
        String detail = text(state, "detail");
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            switch (kind) {
                case "payment" -> {
                    CommandParser.MoneyInput money = CommandParser.money(text(state, "amount"),
                            text(state, "currency"));
                    if (money.problem() != null) {
                        errors.put(money.problem().toLowerCase(java.util.Locale.ROOT)
                                .contains("currenc") ? "currency" : "amount", money.problem());
                        return new Parsed(null, errors);
                    }
                    return new Parsed(new Action.Payment(money.money(), subject, detail), errors);
                }
                case "signature" -> {
                    return new Parsed(new Action.Signature(subject, detail), errors);
                }
                default -> {
                    return new Parsed(new Action.Generic(subject), errors);
                }
            }
        } catch (InvalidActionException e) {
            String message = e.getMessage();
            errors.put(message.startsWith("memo") || message.startsWith("counterparty") ? "detail"
                    : "subject", capitalize(message) + ".");
            return new Parsed(null, errors);
        }
    }

    static ReplyTo replyTo(String privateMetadata) {
        try {
            Map<String,
                    String> origin = JSON.readValue(privateMetadata == null ? "{}"
                            : privateMetadata,
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            return new ReplyTo(origin.get("channel"), origin.get("response_url"));
        } catch (JsonProcessingException e) {
            return ReplyTo.NOWHERE;
        }
    }

    private static String origin(ReplyTo replyTo) {
        Map<String, String> origin = new LinkedHashMap<>();
        origin.put("channel", replyTo.channelId());
        origin.put("response_url", replyTo.responseUrl());
        try {
            return JSON.writeValueAsString(origin);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always encodes", e);
        }
    }

    private static String text(ViewState state, String block) {
        ViewState.Value value = value(state, block);
        return value == null ? null : value.getValue();
    }

    private static Optional<String> selected(ViewState state, String block) {
        ViewState.Value value = value(state, block);
        return value == null || value.getSelectedOption() == null ? Optional.empty()
                : Optional.ofNullable(value.getSelectedOption().getValue());
    }

    private static ViewState.Value value(ViewState state, String block) {
        if (state == null || state.getValues() == null || state.getValues().get(block) == null) {
            return null;
        }
        return state.getValues().get(block).get("value");
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
