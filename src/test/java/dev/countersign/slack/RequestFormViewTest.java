package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.MAX_MODAL_LABEL;
import static dev.countersign.slack.ViewSamples.block;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.model.view.ViewState;
import com.slack.api.util.json.GsonFactory;
import dev.countersign.approval.Action;
import dev.countersign.approval.ReplyTo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFormViewTest {

    private static final ReplyTo ORIGIN = new ReplyTo("C0FINANCE",
            "https://hooks.slack.com/commands/T0ACME/1/abc");

    @Test
    void formAsksForKindAmountCurrencySubjectAndDetail() {
        JsonObject form = json(RequestForm.form(ORIGIN));

        assertThat(form.get("type").getAsString()).isEqualTo("modal");
        assertThat(form.get("callback_id").getAsString()).isEqualTo(RequestForm.CALLBACK_ID);
        assertThat(inputs(form).keySet()).containsExactly("kind", "amount", "currency",
                "subject", "detail");
        assertThat(inputs(form).values()).containsOnly("value");
        assertThat(label(block(form, "subject"))).isEqualTo("Payee, document, or the action");
        assertThat(label(block(form, "detail")))
                .isEqualTo("Memo (payment) or counterparty (signature)");
        assertThat(block(form, "currency").getAsJsonObject("element").get("initial_value")
                .getAsString()).isEqualTo("USD");
        assertThat(block(form, "kind").getAsJsonObject("element")
                .getAsJsonObject("initial_option").get("value").getAsString())
                .isEqualTo("payment");
    }

    @Test
    void onlyTheSubjectIsRequired() {
        JsonObject form = json(RequestForm.form(ORIGIN));

        for (String optional : List.of("amount", "currency", "detail")) {
            assertThat(block(form, optional).get("optional").getAsBoolean()).isTrue();
        }
        assertThat(optional(block(form, "subject"))).isFalse();
        assertThat(optional(block(form, "kind"))).isFalse();
    }

    @Test
    void inputLimitsMatchWhatTheDomainAccepts() {
        JsonObject form = json(RequestForm.form(ORIGIN));

        assertThat(maxLength(form, "currency")).isEqualTo(3);
        assertThat(maxLength(form, "subject")).isEqualTo(Action.MAX_DESCRIPTION);
        assertThat(maxLength(form, "detail")).isEqualTo(Action.MAX_MEMO);
    }

    @Test
    void labelsFitSlacksLimit() {
        JsonObject form = json(RequestForm.form(ORIGIN));

        assertThat(form.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Request approval").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
        assertThat(form.getAsJsonObject("submit").get("text").getAsString())
                .isEqualTo("Continue").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
        assertThat(form.getAsJsonObject("close").get("text").getAsString())
                .isEqualTo("Cancel").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
    }

    @Test
    void whereTheCommandWasTypedComesBackFromPrivateMetadata() {
        String metadata = json(RequestForm.form(ORIGIN)).get("private_metadata").getAsString();

        assertThat(metadata).hasSizeLessThanOrEqualTo(3000);
        assertThat(RequestForm.replyTo(metadata)).isEqualTo(ORIGIN);
    }

    @Test
    void missingOrBrokenMetadataMeansNowhereToReply() {
        assertThat(RequestForm.replyTo(null)).isEqualTo(new ReplyTo(null, null));
        assertThat(RequestForm.replyTo("not json")).isEqualTo(ReplyTo.NOWHERE);
    }

    @Test
    void submittedPaymentIsReadFromTheFormsOwnBlocks() {
        ViewState state = submitted(Map.of("kind", "payment", "amount", "2,500.00",
                "currency", "USD", "subject", "Acme Corp", "detail", "INV-1042"));

        RequestForm.Parsed parsed = RequestForm.parse(state);

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.action()).isEqualTo(payment("2500", "USD", "Acme Corp", "INV-1042"));
    }

    @Test
    void submittedSignatureAndOtherActionAreReadToo() {
        assertThat(RequestForm.parse(submitted(Map.of("kind", "signature", "subject",
                "Master Services Agreement", "detail", "Globex"))).action())
                .isEqualTo(new Action.Signature("Master Services Agreement", "Globex"));
        assertThat(RequestForm.parse(submitted(Map.of("kind", "action", "subject",
                "deploy billing-service v2.3"))).action())
                .isEqualTo(new Action.Generic("deploy billing-service v2.3"));
    }

    @Test
    void badAmountIsReportedOnTheAmountBlock() {
        RequestForm.Parsed parsed = RequestForm.parse(submitted(Map.of("kind", "payment",
                "amount", "lots", "currency", "USD", "subject", "Acme Corp")));

        assertThat(parsed.action()).isNull();
        assertThat(parsed.errors()).containsOnlyKeys("amount");
        assertThat(inputs(json(RequestForm.form(ORIGIN)))).containsKey("amount");
    }

    @Test
    void badCurrencyIsReportedOnTheCurrencyBlock() {
        RequestForm.Parsed parsed = RequestForm.parse(submitted(Map.of("kind", "payment",
                "amount", "10", "currency", "XYZ", "subject", "Acme Corp")));

        assertThat(parsed.errors()).containsOnlyKeys("currency");
    }

    @Test
    void tooLongMemoIsReportedOnTheDetailBlock() {
        RequestForm.Parsed parsed = RequestForm.parse(submitted(Map.of("kind", "payment",
                "amount", "10", "currency", "USD", "subject", "Acme Corp",
                "detail", "x".repeat(Action.MAX_MEMO + 1))));

        assertThat(parsed.action()).isNull();
        assertThat(parsed.errors()).containsOnlyKeys("detail");
        assertThat(parsed.errors().get("detail")).startsWith("Memo is longer than");
    }

    @Test
    void emptySubjectIsReportedOnTheSubjectBlock() {
        RequestForm.Parsed parsed = RequestForm.parse(submitted(Map.of("kind", "signature")));

        assertThat(parsed.errors()).containsOnlyKeys("subject");
    }

    @Test
    void hostilePayeeIsKeptExactlyAsTyped() {
        RequestForm.Parsed parsed = RequestForm.parse(submitted(Map.of("kind", "payment",
                "amount", "10", "currency", "USD", "subject", HOSTILE, "detail", HOSTILE)));

        assertThat(parsed.action()).isEqualTo(payment("10", "USD", HOSTILE, HOSTILE));
    }

    /** Block id to action id of every input block. */
    private static Map<String, String> inputs(JsonObject form) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (JsonElement block : form.getAsJsonArray("blocks")) {
            JsonObject object = block.getAsJsonObject();
            if ("input".equals(object.get("type").getAsString())) {
                inputs.put(object.get("block_id").getAsString(),
                        object.getAsJsonObject("element").get("action_id").getAsString());
            }
        }
        return inputs;
    }

    /**
     * The {@code view.state} Slack would send back, keyed by the form's own block and action ids:
     * the kind as a selected option, everything else as typed text.
     */
    private static ViewState submitted(Map<String, String> typed) {
        Map<String, String> inputs = inputs(json(RequestForm.form(ORIGIN)));
        JsonObject values = new JsonObject();
        typed.forEach((blockId, text) -> {
            assertThat(inputs).containsKey(blockId);
            JsonObject value = new JsonObject();
            if (blockId.equals("kind")) {
                value.addProperty("type", "static_select");
                JsonObject option = new JsonObject();
                option.addProperty("value", text);
                value.add("selected_option", option);
            } else {
                value.addProperty("type", "plain_text_input");
                value.addProperty("value", text);
            }
            JsonObject block = new JsonObject();
            block.add(inputs.get(blockId), value);
            values.add(blockId, block);
        });
        JsonObject state = new JsonObject();
        state.add("values", values);
        return GsonFactory.createSnakeCase().fromJson(state, ViewState.class);
    }

    private static String label(JsonObject block) {
        return block.getAsJsonObject("label").get("text").getAsString();
    }

    private static boolean optional(JsonObject block) {
        return block.has("optional") && block.get("optional").getAsBoolean();
    }

    private static int maxLength(JsonObject form, String blockId) {
        return block(form, blockId).getAsJsonObject("element").get("max_length").getAsInt();
    }
}
